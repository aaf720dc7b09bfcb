"""Regression losses: mean squared / absolute / percentage / log errors.

Each comes as a function returning one loss per sample (the mean over the
last axis) and as a `Loss` class that weights and reduces it.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.loss_utils import prepare_aligned


def mean_squared_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean squared error between labels and predictions.

    `loss = mean(square(y_true - y_pred), axis=-1)`

    Args:
        y_true: ground truth values, shape `(batch, d0, ..., dN)`.
        y_pred: predicted values, same shape.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.mean_squared_error(
    ...     torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]]))
    tensor([0.5000])
    """
    y_true, y_pred = prepare_aligned("mean_squared_error", y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean absolute error between labels and predictions.

    `loss = mean(abs(y_true - y_pred), axis=-1)`

    Args:
        y_true: ground truth values, shape `(batch, d0, ..., dN)`.
        y_pred: predicted values, same shape.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.mean_absolute_error(
    ...     torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 3.0]]))
    tensor([1.5000])
    """
    y_true, y_pred = prepare_aligned("mean_absolute_error", y_true, y_pred)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean absolute percentage error between labels and predictions.

    `loss = 100 * mean(abs((y_true - y_pred) / max(abs(y_true), eps)))`,
    with `eps = lamina.config.epsilon()` guarding zero labels.

    Args:
        y_true: ground truth values, shape `(batch, d0, ..., dN)`.
        y_pred: predicted values, same shape.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.mean_absolute_percentage_error(
    ...     torch.tensor([[2.0, 4.0]]), torch.tensor([[1.0, 4.0]]))
    tensor([25.])
    """
    y_true, y_pred = prepare_aligned(
        "mean_absolute_percentage_error", y_true, y_pred
    )
    scale = torch.clamp_min(torch.abs(y_true), config.epsilon())
    diff = torch.abs((y_true - y_pred) / scale)
    return 100.0 * torch.mean(diff, dim=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean squared logarithmic error between labels and predictions.

    `loss = mean(square(log(y_true + 1) - log(y_pred + 1)), axis=-1)`,
    with both clipped below at `lamina.config.epsilon()` first.

    Args:
        y_true: ground truth values, shape `(batch, d0, ..., dN)`.
        y_pred: predicted values, same shape.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.mean_squared_logarithmic_error(
    ...     torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]]))
    tensor([0.2402])
    """
    y_true, y_pred = prepare_aligned(
        "mean_squared_logarithmic_error", y_true, y_pred
    )
    eps = config.epsilon()
    # log(x + 1) rather than log1p: Keras's formula, kept for parity.
    first_log = torch.log(torch.clamp_min(y_pred, eps) + 1.0)
    second_log = torch.log(torch.clamp_min(y_true, eps) + 1.0)
    return torch.mean(torch.square(first_log - second_log), dim=-1)


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors between labels and predictions.

    `loss = mean(square(y_true - y_pred))`

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"mean_squared_error"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.MeanSquaredError()
    >>> loss(torch.tensor([1.0, 0.0, 1.0]), torch.tensor([0.9, 0.1, 0.8]))
    tensor(0.0200)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_squared_error, name=name, reduction=reduction, dtype=dtype
        )


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors between labels and predictions.

    `loss = mean(abs(y_true - y_pred))`

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"mean_absolute_error"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.MeanAbsoluteError()
    >>> loss(torch.tensor([1.0, 0.0]), torch.tensor([0.5, 0.5]))
    tensor(0.5000)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_absolute_error, name=name, reduction=reduction, dtype=dtype
        )


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error between labels and predictions.

    `loss = 100 * mean(abs((y_true - y_pred) / y_true))`

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to
            `"mean_absolute_percentage_error"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.MeanAbsolutePercentageError()
    >>> loss(torch.tensor([[2.0, 4.0]]), torch.tensor([[1.0, 4.0]]))
    tensor(25.)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_percentage_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_absolute_percentage_error,
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error between labels and predictions.

    `loss = mean(square(log(y_true + 1) - log(y_pred + 1)))`

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to
            `"mean_squared_logarithmic_error"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.MeanSquaredLogarithmicError()
    >>> loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]]))
    tensor(0.2402)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_logarithmic_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_squared_logarithmic_error,
            name=name,
            reduction=reduction,
            dtype=dtype,
        )
