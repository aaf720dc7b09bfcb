"""`CallbackList`: the single dispatcher through which the trainer calls
every callback hook.

The order of events in `fit`, as Keras 3 calls them
(`tests/trainers/test_hook_order.py` records the real `fit` against
Keras's on the same runs):

    on_train_begin
    for each epoch:
        on_epoch_begin(epoch)
        for each step:  on_train_batch_begin(step), on_train_batch_end(step)
        if validating this epoch:
            on_test_begin
            for each step:  on_test_batch_begin(step), on_test_batch_end(step)
            on_test_end
        on_epoch_end(epoch)            # logs hold train and `val_` results
        stop if `model.stop_training`  # also checked after every batch
    on_train_end                       # logs are the last epoch's logs

`evaluate` runs on_test_begin / batches / on_test_end and `predict` runs
on_predict_begin / on_predict_batch_begin / on_predict_batch_end /
on_predict_end. When `needs_batch_logs` is False, the trainer may skip every
batch hook (and the host sync that reading batch metrics costs).
"""

from __future__ import annotations

from typing import Any
from typing import Iterable

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import overrides_batch_hooks
from lamina.callbacks.history import History
from lamina.callbacks.logs import to_python_logs
from lamina.callbacks.progbar_logger import ProgbarLogger
from lamina.utils import tree


def _with_context(error: Exception, callback: Any, hook: str) -> Exception:
    """The same error, its message prefixed with the callback and hook."""
    name = type(callback).__name__
    context = f"Exception in callback `{name}` during `{hook}`"
    try:
        wrapped = type(error)(f"{context}: {error}")
    except Exception:
        wrapped = None
    if wrapped is None or type(wrapped) is not type(error):
        # Exceptions that need more than a message keep their type and get
        # the context as a note instead.
        if hasattr(error, "add_note"):
            error.add_note(context)
        wrapped = error
    try:
        wrapped._lamina_has_context = True
    except AttributeError:  # An exception type with __slots__.
        pass
    return wrapped


class CallbackList(Callback):
    """Container that calls a list of callbacks as one.

    Args:
        callbacks: List of `Callback` instances (nested lists are
            flattened).
        add_history: Whether to add a `History` callback when the list has
            none.
        add_progbar: Whether to add a `ProgbarLogger` when the list has
            none.
        model: The model the callbacks act on.
        **params: Passed to every callback's `set_params` (`verbose`,
            `epochs`, `steps`).

    Logs are turned into Python floats once per hook (one host sync) and
    the same dict is handed to every callback, so a callback that adds a
    key (`learning_rate`) is seen by those after it. An exception raised by
    a callback is re-raised as "Exception in callback `Name` during
    `hook`: message", of the same type and chained to the original.

    Example:

    >>> import lamina
    >>> seen = []
    >>> cb = lamina.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: seen.append(logs["loss"]))
    >>> callbacks = lamina.callbacks.CallbackList([cb], epochs=1, steps=1)
    >>> callbacks.on_epoch_end(0, {"loss": 0.25})
    >>> seen
    [0.25]
    """

    def __init__(
        self,
        callbacks: Iterable[Callback] | Callback | None = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ) -> None:
        super().__init__()
        self.callbacks = tree.flatten(callbacks) if callbacks else []
        for callback in self.callbacks:
            if not callable(getattr(callback, "on_epoch_end", None)):
                raise TypeError(
                    "Every item of `callbacks` must be a "
                    "`lamina.callbacks.Callback`. Received: "
                    f"callbacks=[..., {callback!r}, ...]"
                )
        self.stop_reason = None
        self._add_default_callbacks(add_history, add_progbar)
        self.set_model(model)
        self.set_params(params)

    def _add_default_callbacks(self, add_history: bool, add_progbar: bool):
        self._history = None
        self._progbar = None
        for callback in self.callbacks:
            if isinstance(callback, ProgbarLogger):
                self._progbar = callback
            elif isinstance(callback, History):
                self._history = callback
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def set_params(self, params: dict | None) -> None:
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model: Any) -> None:
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    @property
    def needs_batch_logs(self) -> bool:
        """Whether any callback needs batch-level hooks and logs.

        `History` never does; `ProgbarLogger` does at `verbose=1`; any other
        callback does when it overrides a batch hook.
        """
        return any(
            _callback_needs_batch_logs(callback) for callback in self.callbacks
        )

    def _dispatch(self, hook: str, index: int | None, logs: Any) -> None:
        if not self.callbacks:
            return  # No host sync for logs nobody reads.
        logs = to_python_logs(logs)
        for callback in self.callbacks:
            method = getattr(callback, hook)
            stopped = self._stop_flag()
            try:
                if index is None:
                    method(logs)
                elif hook in ("on_epoch_begin", "on_epoch_end"):
                    method(index, logs)
                else:
                    method(index, logs=logs)
            except Exception as error:
                if getattr(error, "_lamina_has_context", False):
                    raise  # Already named by an inner CallbackList.
                wrapped = _with_context(error, callback, hook)
                if wrapped is error:
                    raise
                raise wrapped from error
            if not stopped and self._stop_flag():
                self._record_stop(callback, hook, index)

    def _stop_flag(self) -> bool:
        return bool(getattr(self._model, "stop_training", False))

    def _record_stop(self, callback: Any, hook: str, index: int | None):
        # Lightning's `done`: say which callback ended training, and why.
        reason = getattr(callback, "stop_reason", None)
        where = f"in `{hook}`"
        if hook in ("on_epoch_begin", "on_epoch_end"):
            where += f" of epoch {index + 1}"
        elif index is not None:
            where += f" of batch {index}"
        self.stop_reason = (
            f"{type(callback).__name__} stopped training {where}"
            + (f": {reason}" if reason else ".")
        )
        if self._history is not None:
            self._history.stop_reason = self.stop_reason

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.stop_reason = None
        self._dispatch("on_train_begin", None, logs)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._dispatch("on_train_end", None, logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        self._dispatch("on_test_begin", None, logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        self._dispatch("on_test_end", None, logs)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._dispatch("on_predict_begin", None, logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._dispatch("on_predict_end", None, logs)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._dispatch("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._dispatch("on_epoch_end", epoch, logs)

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._dispatch("on_batch_begin", batch, logs)

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._dispatch("on_batch_end", batch, logs)

    def on_train_batch_begin(
        self, batch: int, logs: dict | None = None
    ) -> None:
        self._dispatch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._dispatch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._dispatch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._dispatch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(
        self, batch: int, logs: dict | None = None
    ) -> None:
        self._dispatch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(
        self, batch: int, logs: dict | None = None
    ) -> None:
        self._dispatch("on_predict_batch_end", batch, logs)


def _callback_needs_batch_logs(callback: Any) -> bool:
    needs = getattr(callback, "needs_batch_logs", None)
    if isinstance(needs, bool):
        return needs
    return overrides_batch_hooks(callback)
