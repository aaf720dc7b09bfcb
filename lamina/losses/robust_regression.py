"""Regression losses that grow linearly for large errors: Huber, LogCosh."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.loss_utils import prepare_aligned


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> torch.Tensor:
    """Huber loss: quadratic for small errors, linear for large ones.

    For each error `x = y_pred - y_true`: `0.5 * x**2` if `|x| <= delta`,
    else `delta * |x| - 0.5 * delta**2`; then the mean over the last axis.
    See [Huber loss](https://en.wikipedia.org/wiki/Huber_loss).

    Args:
        y_true: ground truth values, shape `(batch, d0, ..., dN)`.
        y_pred: predicted values, same shape.
        delta: the error size where the loss turns from quadratic to
            linear. Defaults to `1.0`.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.huber(torch.tensor([[0.0, 0.0]]),
    ...                     torch.tensor([[0.5, 3.0]]))
    tensor([1.3125])
    """
    y_true, y_pred = prepare_aligned("huber", y_true, y_pred)
    error = y_pred - y_true
    abs_error = torch.abs(error)
    return torch.mean(
        torch.where(
            abs_error <= delta,
            0.5 * torch.square(error),
            delta * abs_error - 0.5 * delta**2,
        ),
        dim=-1,
    )


def log_cosh(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Logarithm of the hyperbolic cosine of the prediction error.

    `log(cosh(x))` is about `x**2 / 2` for small `x` and `|x| - log(2)` for
    large `x`; it is computed as `x + softplus(-2x) - log(2)`, which does
    not overflow.

    Args:
        y_true: ground truth values, shape `(batch, d0, ..., dN)`.
        y_pred: predicted values, same shape.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.log_cosh(torch.tensor([[0.0, 0.0]]),
    ...                        torch.tensor([[1.0, 0.0]]))
    tensor([0.2169])
    """
    y_true, y_pred = prepare_aligned("log_cosh", y_true, y_pred)
    x = y_pred - y_true
    return torch.mean(x + F.softplus(x * -2.0) - math.log(2.0), dim=-1)


class Huber(LossFunctionWrapper):
    """Huber loss between `y_true` and `y_pred` (see `lamina.losses.huber`).

    Args:
        delta: the error size where the loss turns from quadratic to
            linear. Defaults to `1.0`.
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"huber_loss"`.
        dtype: see `lamina.losses.Loss`.

    Unlike Keras 3.15, whose config drops it, `delta` is kept in the
    config, so a saved `Huber(delta=2.0)` reloads with its delta.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.Huber(delta=1.0)
    >>> loss(torch.tensor([[0.0, 0.0]]), torch.tensor([[0.5, 3.0]]))
    tensor(1.3125)
    """

    _config_keys = ("delta",)

    def __init__(
        self,
        delta: float = 1.0,
        reduction: str | None = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ):
        super().__init__(
            huber, name=name, reduction=reduction, dtype=dtype, delta=delta
        )


class LogCosh(LossFunctionWrapper):
    """Log-cosh loss between `y_true` and `y_pred` (see
    `lamina.losses.log_cosh`).

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"log_cosh"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.LogCosh()
    >>> loss(torch.tensor([[0.0, 0.0]]), torch.tensor([[1.0, 0.0]]))
    tensor(0.2169)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "log_cosh",
        dtype: Any = None,
    ):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)
