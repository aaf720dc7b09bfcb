"""Probabilistic losses: KL divergence, Poisson, generalized cross-entropy.

(The cross-entropies live in `crossentropy.py` and `focal.py`.)
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.errors import invalid_argument
from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.loss_utils import as_tensor
from lamina.losses.loss_utils import check_broadcastable
from lamina.losses.loss_utils import prepare


def kl_divergence(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Kullback-Leibler divergence between `y_true` and `y_pred`.

    `loss = sum(y_true * log(y_true / y_pred), axis=-1)`, with both
    clipped to `[eps, 1]` first.

    Args:
        y_true: true distributions, shape `(batch, d0, ..., dN)`.
        y_pred: predicted distributions, same shape.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.kl_divergence(
    ...     torch.tensor([[0.5, 0.5]]), torch.tensor([[0.25, 0.75]]))
    tensor([0.1438])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    check_broadcastable("kl_divergence", y_true, y_pred)
    eps = config.epsilon()
    y_true = torch.clip(y_true, eps, 1)
    y_pred = torch.clip(y_pred, eps, 1)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Poisson loss between `y_true` and `y_pred`.

    `loss = mean(y_pred - y_true * log(y_pred + eps), axis=-1)`

    Args:
        y_true: observed counts, shape `(batch, d0, ..., dN)`.
        y_pred: predicted rates, same shape.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.poisson(torch.tensor([[1.0, 2.0]]),
    ...                       torch.tensor([[1.0, 1.0]]))
    tensor([1.0000])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    check_broadcastable("poisson", y_true, y_pred)
    return torch.mean(
        y_pred - y_true * torch.log(y_pred + config.epsilon()), dim=-1
    )


def categorical_generalized_cross_entropy(
    y_true: Any, y_pred: Any, q: float
) -> torch.Tensor:
    """Generalized cross-entropy, robust to noisy labels.

    `loss = (1 - p ** q) / q`, where `p` is the predicted probability of
    the true class. See [Zhang & Sabuncu, 2018](
    https://arxiv.org/abs/1805.07836).

    Args:
        y_true: integer class indices, shape `(batch,)` or `(batch, 1)`.
        y_pred: predicted probabilities, shape `(batch, classes)`.
        q: float in `(0, 1)`: near 0 it behaves like cross-entropy, near 1
            like mean absolute error.

    Returns:
        Losses of shape `(batch,)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.categorical_generalized_cross_entropy(
    ...     torch.tensor([1]), torch.tensor([[0.75, 0.25]]), q=0.5)
    tensor([1.])
    """
    y_pred = as_tensor(y_pred)
    labels = as_tensor(y_true, device=y_pred.device).long()
    if labels.dim() == y_pred.dim() and labels.shape[-1] == 1:
        labels = labels.squeeze(-1)
    # A gather of the true class instead of Keras's one-hot product.
    p = torch.gather(y_pred, -1, labels.unsqueeze(-1)).squeeze(-1)
    return (1 - torch.pow(p, q)) / q


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence loss (see
    `lamina.losses.kl_divergence`).

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"kl_divergence"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.KLDivergence()
    >>> loss(torch.tensor([[0.5, 0.5]]), torch.tensor([[0.25, 0.75]]))
    tensor(0.1438)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "kl_divergence",
        dtype: Any = None,
    ):
        super().__init__(
            kl_divergence, name=name, reduction=reduction, dtype=dtype
        )


class Poisson(LossFunctionWrapper):
    """Poisson loss (see `lamina.losses.poisson`).

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"poisson"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.Poisson()
    >>> loss(torch.tensor([[1.0, 2.0]]), torch.tensor([[1.0, 1.0]]))
    tensor(1.0000)
    """

    _config_keys = ()

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "poisson",
        dtype: Any = None,
    ):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross-entropy loss (see
    `lamina.losses.categorical_generalized_cross_entropy`).

    Args:
        q: float in `(0, 1)`, the noise parameter. Defaults to `0.5`.
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to
            `"categorical_generalized_cross_entropy"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.CategoricalGeneralizedCrossEntropy(q=0.5)
    >>> loss(torch.tensor([1]), torch.tensor([[0.75, 0.25]]))
    tensor(1.)
    """

    _config_keys = ("q",)
    _cast_y_true = False

    def __init__(
        self,
        q: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_generalized_cross_entropy",
        dtype: Any = None,
    ):
        if not 0 < q < 1:
            raise ValueError(
                invalid_argument(type(self), "q", "a float in (0, 1)", q)
            )
        super().__init__(
            categorical_generalized_cross_entropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            q=q,
        )
