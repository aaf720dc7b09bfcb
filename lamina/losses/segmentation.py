"""Overlap losses for image segmentation: Dice and Tversky."""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.loss_utils import check_broadcastable
from lamina.losses.loss_utils import prepare


def _sum(x: torch.Tensor, axis: Any) -> torch.Tensor:
    # torch reads `dim=None` as "all axes" only through `torch.sum(x)`.
    return torch.sum(x) if axis is None else torch.sum(x, dim=axis)


def dice(y_true: Any, y_pred: Any, axis: Any = None) -> torch.Tensor:
    """Dice loss: `1 - 2 * sum(y_true * y_pred) / (sum(y_true) +
    sum(y_pred) + eps)`.

    Args:
        y_true: ground truth masks.
        y_pred: predicted masks, same shape.
        axis: the axes the sums run over; `None` (default) sums over all
            of them, giving one loss for the whole batch. Pass e.g.
            `(1, 2, 3)` for one loss per image.

    Returns:
        The Dice loss, with the `axis` axes reduced away.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.dice(torch.tensor([[1.0, 0.0]]),
    ...                    torch.tensor([[1.0, 1.0]]))
    tensor(0.3333)
    """
    y_true, y_pred = prepare(y_true, y_pred)
    check_broadcastable("dice", y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    denominator = _sum(y_true, axis) + _sum(y_pred, axis) + config.epsilon()
    return 1 - 2.0 * intersection / denominator


def tversky(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.5,
    beta: float = 0.5,
    axis: Any = None,
) -> torch.Tensor:
    """Tversky loss, a Dice loss with separate weights for false positives
    and false negatives.

    `loss = 1 - tp / (tp + alpha * fp + beta * fn + eps)`; see
    [Salehi et al., 2017](https://arxiv.org/abs/1706.05721).

    Args:
        y_true: ground truth masks.
        y_pred: predicted masks, same shape.
        alpha: the weight of false positives. Defaults to `0.5`.
        beta: the weight of false negatives. Defaults to `0.5`.
        axis: the axes the sums run over; `None` (default) sums over all.

    Returns:
        The Tversky loss, with the `axis` axes reduced away.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.tversky(torch.tensor([[1.0, 0.0]]),
    ...                       torch.tensor([[1.0, 1.0]]))
    tensor(0.3333)
    """
    y_true, y_pred = prepare(y_true, y_pred)
    check_broadcastable("tversky", y_true, y_pred)
    # Keras's terms, kept for parity: its `fp` is the true mass the
    # prediction misses, weighted by `alpha`; its `fn` weighted by `beta`.
    intersection = _sum(y_true * y_pred, axis)
    fp = _sum((1 - y_pred) * y_true, axis)
    fn = _sum(y_pred * (1 - y_true), axis)
    denominator = intersection + fp * alpha + fn * beta + config.epsilon()
    return 1 - intersection / denominator


class Dice(LossFunctionWrapper):
    """Dice loss (see `lamina.losses.dice`).

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"dice"`.
        axis: the axes the sums run over; `None` sums over all.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.Dice(axis=(1,))
    >>> loss(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 1.0]]))
    tensor(0.3333)
    """

    _config_keys = ("axis",)

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "dice",
        axis: Any = None,
        dtype: Any = None,
    ):
        super().__init__(
            dice, name=name, reduction=reduction, dtype=dtype, axis=axis
        )


class Tversky(LossFunctionWrapper):
    """Tversky loss (see `lamina.losses.tversky`).

    Args:
        alpha: the weight of false positives. Defaults to `0.5`.
        beta: the weight of false negatives. Defaults to `0.5`.
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"tversky"`.
        axis: the axes the sums run over; `None` sums over all.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.Tversky(alpha=0.3, beta=0.7)
    >>> loss(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 1.0]]))
    tensor(0.4118)
    """

    _config_keys = ("alpha", "beta", "axis")

    def __init__(
        self,
        alpha: float = 0.5,
        beta: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "tversky",
        axis: Any = None,
        dtype: Any = None,
    ):
        super().__init__(
            tversky,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            beta=beta,
            axis=axis,
        )
