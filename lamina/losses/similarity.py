"""Similarity losses: cosine similarity and Circle loss on embeddings."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import config
from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.loss_utils import as_tensor
from lamina.losses.loss_utils import prepare_aligned


def l2_normalize(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """`x / norm(x)` along `axis`, as `x * min(rsqrt(sum(x**2)), 1/eps)`
    so that a zero vector stays zero."""
    square_sum = torch.sum(torch.square(x), dim=axis, keepdim=True)
    inv_norm = torch.clamp_max(torch.rsqrt(square_sum), 1.0 / config.epsilon())
    return x * inv_norm


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> torch.Tensor:
    """Negative cosine similarity between labels and predictions.

    `loss = -sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: a
    value in `[-1, 1]`, where -1 means the vectors point the same way, so
    minimising it brings predictions closer to the targets.

    Args:
        y_true: target vectors.
        y_pred: predicted vectors, same shape.
        axis: the axis the similarity is computed along. Defaults to `-1`.

    Returns:
        Losses with `axis` reduced away.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.cosine_similarity(torch.tensor([[1.0, 0.0]]),
    ...                                 torch.tensor([[1.0, 1.0]]))
    tensor([-0.7071])
    """
    y_true, y_pred = prepare_aligned("cosine_similarity", y_true, y_pred)
    y_pred = l2_normalize(y_pred, axis)
    y_true = l2_normalize(y_true, axis)
    return -torch.sum(y_true * y_pred, dim=axis)


def _pos_neg_masks(
    labels: torch.Tensor, ref_labels: torch.Tensor, remove_diagonal: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    positive = labels.reshape(-1, 1) == ref_labels.reshape(1, -1)
    negative = ~positive
    if remove_diagonal:
        eye = torch.eye(
            positive.shape[0],
            positive.shape[1],
            dtype=torch.bool,
            device=positive.device,
        )
        positive = positive & ~eye
    return positive, negative


def _circle_from_distances(
    distances: torch.Tensor,
    positive: torch.Tensor,
    negative: torch.Tensor,
    gamma: float,
    margin: float,
) -> torch.Tensor:
    # Sun et al.'s weights and margins, written for distances 1 - sim.
    pos_weights = torch.clamp_min((margin + distances) * positive, 0.0)
    neg_weights = torch.clamp_min((1 + margin - distances) * negative, 0.0)
    pos_scores = -gamma * pos_weights * (margin - distances)
    neg_scores = gamma * neg_weights * ((1 - margin) - distances)
    p_loss = torch.logsumexp(
        torch.where(positive, pos_scores, float("-inf")), dim=1
    )
    n_loss = torch.logsumexp(
        torch.where(negative, neg_scores, float("-inf")), dim=1
    )
    return F.softplus(p_loss + n_loss)


def circle(
    y_true: Any,
    y_pred: Any,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80,
    margin: float = 0.4,
) -> torch.Tensor:
    """Circle loss between integer labels and L2-normalised embeddings.

    Pairs of the same label are pulled together and pairs of different
    labels pushed apart, each pair weighted by how far it is from its
    optimum. See [Sun et al., 2020](https://arxiv.org/abs/2002.10857).

    Args:
        y_true: integer labels, shape `(batch,)`.
        y_pred: L2-normalised embeddings, shape `(batch, dim)`.
        ref_labels: labels of the reference embeddings; defaults to
            `y_true`.
        ref_embeddings: reference embeddings; defaults to `y_pred`.
        remove_diagonal: whether to drop self-pairs from the positives.
        gamma: the scale of the similarity scores. Defaults to `80`.
        margin: the relaxation margin. Defaults to `0.4`.

    Returns:
        Losses of shape `(batch,)`; the result carries the mask
        `loss > 0` as `_keras_mask`, so the average runs over the anchors
        that have a loss.

    Example:

    >>> import torch, lamina
    >>> emb = torch.nn.functional.normalize(torch.tensor(
    ...     [[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]), dim=-1)
    >>> lamina.losses.circle(torch.tensor([0, 0, 1]), emb).shape
    torch.Size([3])
    """
    y_pred = as_tensor(y_pred)
    labels = as_tensor(y_true, device=y_pred.device).to(torch.int32)
    refs = (
        y_pred
        if ref_embeddings is None
        else as_tensor(ref_embeddings, y_pred.dtype, y_pred.device)
    )
    ref_labels = (
        labels
        if ref_labels is None
        else as_tensor(ref_labels, device=y_pred.device).to(torch.int32)
    )
    distances = torch.clamp_min(1 - y_pred @ refs.transpose(0, 1), 0.0)
    positive, negative = _pos_neg_masks(labels, ref_labels, remove_diagonal)
    loss = _circle_from_distances(distances, positive, negative, gamma, margin)
    loss._keras_mask = loss > 0
    return loss


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity loss (see
    `lamina.losses.cosine_similarity`).

    Args:
        axis: the axis the similarity is computed along. Defaults to `-1`.
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"cosine_similarity"`.
        dtype: see `lamina.losses.Loss`.

    Unlike Keras 3.15, whose config drops it, `axis` is kept in the
    config.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.CosineSimilarity()
    >>> loss(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 1.0]]))
    tensor(-0.7071)
    """

    _config_keys = ("axis",)

    def __init__(
        self,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype: Any = None,
    ):
        super().__init__(
            cosine_similarity,
            name=name,
            reduction=reduction,
            dtype=dtype,
            axis=axis,
        )


class Circle(LossFunctionWrapper):
    """Circle loss (see `lamina.losses.circle`).

    Args:
        gamma: the scale of the similarity scores. Defaults to `80.0`.
        margin: the relaxation margin. Defaults to `0.4`.
        remove_diagonal: whether to drop self-pairs from the positives.
            Defaults to `True`.
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"circle"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> emb = torch.nn.functional.normalize(torch.tensor(
    ...     [[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]), dim=-1)
    >>> lamina.losses.Circle()(torch.tensor([0, 0, 1]), emb).shape
    torch.Size([])
    """

    _config_keys = ("gamma", "margin", "remove_diagonal")
    _cast_y_true = False

    def __init__(
        self,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: str | None = "sum_over_batch_size",
        name: str = "circle",
        dtype: Any = None,
    ):
        super().__init__(
            circle,
            name=name,
            reduction=reduction,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
