"""Hinge losses for maximum-margin classification."""

from __future__ import annotations

from typing import Any

import torch

from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.loss_utils import check_broadcastable
from lamina.losses.loss_utils import prepare


def convert_binary_labels_to_hinge(y_true: torch.Tensor) -> torch.Tensor:
    """Map labels to -1/1 when they are all 0 or 1; else leave them.

    The choice is made on the device with `torch.where`, so it never reads
    the labels back to the host (Keras branches with `ops.cond`).
    """
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _margins(name: str, y_true: Any, y_pred: Any) -> torch.Tensor:
    y_true, y_pred = prepare(y_true, y_pred)
    check_broadcastable(name, y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return torch.clamp_min(1.0 - y_true * y_pred, 0.0)


def hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Hinge loss: `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    Args:
        y_true: labels, -1 or 1 (labels that are all 0 or 1 are mapped to
            -1 or 1), shape `(batch, d0, ..., dN)`.
        y_pred: predicted values, same shape.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.hinge(torch.tensor([[0.0, 1.0]]),
    ...                     torch.tensor([[0.5, 0.5]]))
    tensor([1.])
    """
    return torch.mean(_margins("hinge", y_true, y_pred), dim=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Squared hinge loss:
    `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`.

    Args:
        y_true: labels, -1 or 1 (labels that are all 0 or 1 are mapped to
            -1 or 1), shape `(batch, d0, ..., dN)`.
        y_pred: predicted values, same shape.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.squared_hinge(torch.tensor([[0.0, 1.0]]),
    ...                             torch.tensor([[0.5, 0.5]]))
    tensor([1.2500])
    """
    margins = _margins("squared_hinge", y_true, y_pred)
    return torch.mean(torch.square(margins), dim=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Categorical hinge loss: `maximum(neg - pos + 1, 0)`, where
    `pos = sum(y_true * y_pred)` and `neg = max((1 - y_true) * y_pred)`
    over the last axis.

    Args:
        y_true: one-hot labels (0/1 or -1/1), shape `(batch, ..., classes)`.
        y_pred: predicted values, same shape.

    Returns:
        Losses of shape `(batch, ...)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.categorical_hinge(torch.tensor([[0.0, 1.0]]),
    ...                                 torch.tensor([[0.3, 0.7]]))
    tensor([0.6000])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    check_broadcastable("categorical_hinge", y_true, y_pred)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp_min(neg - pos + 1.0, 0.0)


class Hinge(LossFunctionWrapper):
    """Hinge loss (see `lamina.losses.hinge`).

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"hinge"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.Hinge()(torch.tensor([[0.0, 1.0]]),
    ...                       torch.tensor([[0.5, 0.5]]))
    tensor(1.)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "hinge",
        dtype: Any = None,
    ):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss (see `lamina.losses.squared_hinge`).

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"squared_hinge"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.SquaredHinge()(torch.tensor([[0.0, 1.0]]),
    ...                              torch.tensor([[0.5, 0.5]]))
    tensor(1.2500)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "squared_hinge",
        dtype: Any = None,
    ):
        super().__init__(
            squared_hinge, name=name, reduction=reduction, dtype=dtype
        )


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss (see `lamina.losses.categorical_hinge`).

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"categorical_hinge"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.CategoricalHinge()(torch.tensor([[0.0, 1.0]]),
    ...                                  torch.tensor([[0.3, 0.7]]))
    tensor(0.6000)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_hinge",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_hinge, name=name, reduction=reduction, dtype=dtype
        )
