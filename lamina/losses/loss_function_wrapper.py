"""`LossFunctionWrapper`: a `Loss` made from a plain loss function."""

from __future__ import annotations

from typing import Any, Callable

import torch

from lamina.losses.loss import Loss
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.saving import serialization


def _align(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    if isinstance(y_true, torch.Tensor) and isinstance(y_pred, torch.Tensor):
        return squeeze_or_expand_to_same_rank(y_true, y_pred)
    if isinstance(y_true, dict):
        pairs = {k: _align(y_true[k], y_pred[k]) for k in y_true}
        return (
            {k: v[0] for k, v in pairs.items()},
            {k: v[1] for k, v in pairs.items()},
        )
    if isinstance(y_true, (list, tuple)):
        pairs = [_align(t, p) for t, p in zip(y_true, y_pred)]
        return (
            type(y_true)(p[0] for p in pairs),
            type(y_pred)(p[1] for p in pairs),
        )
    return y_true, y_pred


class LossFunctionWrapper(Loss):
    """Wrap a loss function `fn(y_true, y_pred, **kwargs)` into a `Loss`.

    Before calling `fn`, ranks of `y_true` and `y_pred` that differ by one
    trailing size-1 axis are aligned (see `squeeze_or_expand_to_same_rank`).

    Args:
        fn: the loss function, returning unreduced losses.
        reduction: see `Loss`.
        name: see `Loss`.
        dtype: see `Loss`.
        **kwargs: extra keyword arguments passed to `fn` on every call.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.LossFunctionWrapper(
    ...     lamina.losses.huber, name="huber", delta=0.5)
    >>> loss(torch.zeros(2, 1), torch.ones(2, 1))
    tensor(0.3750)
    """

    # The keyword arguments a built-in subclass keeps in its config (and
    # as attributes); None for a plain wrapper, whose config holds `fn`.
    _config_keys: tuple | None = None
    # Keras keeps this class outside its public `keras.losses` namespace.
    _keras_module = "keras.src.losses.losses"

    def __init__(
        self,
        fn: Callable,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs
        if self._config_keys is not None:
            for key, value in kwargs.items():
                setattr(self, key, value)

    def call(self, y_true: Any, y_pred: Any) -> torch.Tensor:
        y_true, y_pred = _align(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        config = Loss.get_config(self)
        if self._config_keys is None:
            config["fn"] = serialization.serialize_keras_object(self.fn)
            config.update(serialization.serialize_keras_object(self._fn_kwargs))
        else:
            config.update({k: self._fn_kwargs[k] for k in self._config_keys})
        return config

    @classmethod
    def from_config(cls, config: dict) -> "LossFunctionWrapper":
        if "fn" in config:
            from lamina import losses

            config = dict(config)
            config["fn"] = losses.deserialize(config["fn"])
            config = {
                k: v if k == "fn" else serialization.deserialize_keras_object(v)
                for k, v in config.items()
            }
        return cls(**config)

    def __repr__(self) -> str:
        if self._config_keys is None:
            return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"
        args = "".join(f" {k}={v!r}" for k, v in self._fn_kwargs.items())
        return f"{Loss.__repr__(self)[:-1]}{args}>"
