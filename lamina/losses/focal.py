"""Focal cross-entropy losses, which down-weight well-classified examples.

See [Lin et al., 2018](https://arxiv.org/pdf/1708.02002.pdf).
"""

from __future__ import annotations

from typing import Any, Sequence

import torch

from lamina import config
from lamina.losses.crossentropy import warn_if_single_class
from lamina.losses.crossentropy import binary_crossentropy_elementwise
from lamina.losses.crossentropy import smooth_categorical_labels
from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.loss_utils import as_tensor
from lamina.losses.loss_utils import check_axis
from lamina.losses.loss_utils import check_same_shape
from lamina.losses.loss_utils import prepare


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Binary focal cross-entropy, averaged over `axis`.

    `focal = (1 - p_t) ** gamma * bce`, where `p_t` is the predicted
    probability of the true label; with `apply_class_balancing`, each
    entry is further weighted by `alpha` (label 1) or `1 - alpha` (label 0).

    Args:
        y_true: ground truth values (0 or 1), shape `(batch, d0, ..., dN)`.
        y_pred: predicted probabilities (or logits), same shape.
        apply_class_balancing: whether to weight the classes by `alpha`.
        alpha: the weight of class 1 (class 0 gets `1 - alpha`).
        gamma: the focusing parameter; `0` gives plain cross-entropy.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: float in `[0, 1]`; labels are squeezed towards 0.5.
        axis: the axis the mean is taken over. Defaults to `-1`.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.binary_focal_crossentropy(
    ...     torch.tensor([[0.0, 1.0]]), torch.tensor([[0.4, 0.6]]))
    tensor([0.0817])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    check_same_shape("binary_focal_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    bce = binary_crossentropy_elementwise(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        weight = y_true * alpha + (1 - y_true) * (1 - alpha)
        focal_bce = weight * focal_bce
    return torch.mean(focal_bce, dim=axis)


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float | Sequence[float] = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Categorical focal cross-entropy between one-hot labels and
    predictions.

    `focal = sum(alpha * (1 - p) ** gamma * -y_true * log(p), axis)`, with
    `p` the predicted distribution, renormalised and clipped to
    `[eps, 1 - eps]`.

    Args:
        y_true: one-hot labels, shape `(batch, ..., classes)`.
        y_pred: predicted probabilities (or logits), same shape.
        alpha: a weight for all classes, or one weight per class.
        gamma: the focusing parameter; `0` gives plain cross-entropy.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: float in `[0, 1]`, as in `categorical_crossentropy`.
        axis: the class axis. Defaults to `-1`.

    Returns:
        Losses of shape `y_pred.shape` without `axis`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.categorical_focal_crossentropy(
    ...     torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
    tensor([0.0433])
    """
    check_axis("categorical_focal_crossentropy", axis)
    y_true, y_pred = prepare(y_true, y_pred)
    warn_if_single_class("categorical_focal_crossentropy", y_pred)
    y_true = smooth_categorical_labels(y_true, label_smoothing)
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    eps = config.epsilon()
    output = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
    output = torch.clip(output, eps, 1.0 - eps)
    cce = -y_true * torch.log(output)
    if not isinstance(alpha, (int, float)):
        alpha = as_tensor(alpha, output.dtype, output.device)
    weighting_factor = torch.pow(1.0 - output, gamma) * alpha
    return torch.sum(weighting_factor * cce, dim=axis)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary focal cross-entropy (see
    `lamina.losses.binary_focal_crossentropy`).

    Args:
        apply_class_balancing: whether to weight the classes by `alpha`.
            Defaults to `False`.
        alpha: the weight of class 1 (class 0 gets `1 - alpha`).
            Defaults to `0.25`.
        gamma: the focusing parameter. Defaults to `2.0`.
        from_logits: whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: float in `[0, 1]`. Defaults to `0.0`.
        axis: the axis the mean is taken over. Defaults to `-1`.
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"binary_focal_crossentropy"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.BinaryFocalCrossentropy(gamma=2.0)
    >>> loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.4, 0.6]]))
    tensor(0.0817)
    """

    _config_keys = (
        "from_logits",
        "label_smoothing",
        "axis",
        "apply_class_balancing",
        "alpha",
        "gamma",
    )

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical focal cross-entropy (see
    `lamina.losses.categorical_focal_crossentropy`).

    Args:
        alpha: a weight for all classes, or a list with one per class.
            Defaults to `0.25`.
        gamma: the focusing parameter. Defaults to `2.0`.
        from_logits: whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: float in `[0, 1]`. Defaults to `0.0`.
        axis: the class axis. Defaults to `-1`.
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to
            `"categorical_focal_crossentropy"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.CategoricalFocalCrossentropy()
    >>> loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
    tensor(0.0433)
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(
        self,
        alpha: float | Sequence[float] = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
