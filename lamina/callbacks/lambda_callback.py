"""`LambdaCallback`: a callback built from plain functions."""

from __future__ import annotations

from typing import Callable

from lamina.callbacks.callback import ALL_HOOKS
from lamina.callbacks.callback import Callback


class LambdaCallback(Callback):
    """Callback for creating simple, custom callbacks on the fly.

    Each function replaces the hook of the same name and is called with the
    hook's arguments: `on_epoch_begin` / `on_epoch_end` with `(epoch,
    logs)`, `on_train_begin` / `on_train_end` with `(logs)`, batch hooks
    with `(batch, logs=logs)`.

    Args:
        on_epoch_begin: Called at the start of every epoch.
        on_epoch_end: Called at the end of every epoch.
        on_train_begin: Called at the start of training.
        on_train_end: Called at the end of training.
        on_train_batch_begin: Called at the start of every training batch.
        on_train_batch_end: Called at the end of every training batch.
        **kwargs: Any other hook, as `hook_name=function` (for example
            `on_test_end=...`).

    Example:

    >>> import lamina
    >>> losses = []
    >>> callback = lamina.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]))
    >>> callback.on_epoch_end(0, {"loss": 0.5})
    >>> losses
    [0.5]
    """

    def __init__(
        self,
        on_epoch_begin: Callable | None = None,
        on_epoch_end: Callable | None = None,
        on_train_begin: Callable | None = None,
        on_train_end: Callable | None = None,
        on_train_batch_begin: Callable | None = None,
        on_train_batch_end: Callable | None = None,
        **kwargs: Callable,
    ) -> None:
        super().__init__()
        hooks = dict(
            on_epoch_begin=on_epoch_begin,
            on_epoch_end=on_epoch_end,
            on_train_begin=on_train_begin,
            on_train_end=on_train_end,
            on_train_batch_begin=on_train_batch_begin,
            on_train_batch_end=on_train_batch_end,
        )
        for name, fn in kwargs.items():
            if name not in ALL_HOOKS:
                raise ValueError(
                    "Unrecognized keyword argument passed to LambdaCallback: "
                    f"expected a callback hook (one of {sorted(ALL_HOOKS)}). "
                    f"Received: {name}={fn!r}"
                )
            hooks[name] = fn
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise TypeError(
                    f"Invalid value for argument `{name}` of LambdaCallback: "
                    f"expected a function. Received: {name}={fn!r}"
                )
            # An instance attribute shadows the no-op method of the class.
            setattr(self, name, fn)
