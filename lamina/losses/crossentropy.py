"""Cross-entropy losses: binary, categorical (one-hot) and sparse (integer).

The numerics follow Keras's torch backend exactly: probabilities are
clipped to `[eps, 1 - eps]` (`eps = lamina.config.epsilon()`) before the
log, categorical probabilities are renormalised to sum to one, and the
logits paths use torch's fused kernels (`binary_cross_entropy_with_logits`,
`log_softmax`, `cross_entropy`), which are stable for any logit.
"""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from lamina import config
from lamina.errors import LaminaWarning
from lamina.errors import format_shape
from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.loss_utils import as_tensor
from lamina.losses.loss_utils import check_axis
from lamina.losses.loss_utils import check_same_shape
from lamina.losses.loss_utils import prepare


def binary_crossentropy_elementwise(
    target: torch.Tensor, output: torch.Tensor, from_logits: bool = False
) -> torch.Tensor:
    """Elementwise binary cross-entropy of same-shaped tensors (unreduced).

    Keras's `ops.binary_crossentropy`; shared with the focal loss.
    """
    if from_logits:
        return F.binary_cross_entropy_with_logits(
            output, target, reduction="none"
        )
    eps = config.epsilon()
    output = torch.clip(output, eps, 1.0 - eps)
    return F.binary_cross_entropy(output, target, reduction="none")


def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Binary cross-entropy, averaged over `axis`.

    Args:
        y_true: ground truth values (0 or 1), shape `(batch, d0, ..., dN)`.
        y_pred: predicted probabilities (or logits), same shape.
        from_logits: whether `y_pred` holds logits rather than
            probabilities.
        label_smoothing: float in `[0, 1]`; labels are squeezed towards
            0.5: `y * (1 - label_smoothing) + 0.5 * label_smoothing`.
        axis: the axis the mean is taken over. Defaults to `-1`.

    Returns:
        Losses of shape `(batch, d0, ..., dN-1)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.binary_crossentropy(
    ...     torch.tensor([[0.0, 1.0]]), torch.tensor([[0.4, 0.6]]))
    tensor([0.5108])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    check_same_shape("binary_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    losses = binary_crossentropy_elementwise(y_true, y_pred, from_logits)
    return torch.mean(losses, dim=axis)


def warn_if_single_class(name: str, y_pred: torch.Tensor) -> None:
    if y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {name}, expected y_pred.shape to be "
            "(batch_size, num_classes) with num_classes > 1. Received: "
            f"y_pred.shape={format_shape(y_pred.shape)}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.",
            LaminaWarning,
            stacklevel=3,
        )


def smooth_categorical_labels(
    y_true: torch.Tensor, label_smoothing: float
) -> torch.Tensor:
    """Spread `label_smoothing` of the mass uniformly over the classes.

    Keras counts the classes on the last axis whatever `axis` is.
    """
    if not label_smoothing:
        return y_true
    num_classes = y_true.shape[-1]
    return y_true * (1.0 - label_smoothing) + label_smoothing / num_classes


def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Categorical cross-entropy between one-hot labels and predictions.

    Args:
        y_true: one-hot (or soft) labels, shape `(batch, ..., classes)`.
        y_pred: predicted probabilities (or logits), same shape.
            Probabilities are renormalised to sum to 1 along `axis`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: float in `[0, 1]`; `0.1` gives `0.1 / classes` to
            every non-target class and `0.9 + 0.1 / classes` to the target.
        axis: the class axis. Defaults to `-1`.

    Returns:
        Losses of shape `y_pred.shape` without `axis`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.categorical_crossentropy(
    ...     torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
    tensor([0.6931])
    """
    check_axis("categorical_crossentropy", axis)
    y_true, y_pred = prepare(y_true, y_pred)
    warn_if_single_class("categorical_crossentropy", y_pred)
    check_same_shape("categorical_crossentropy", y_true, y_pred)
    if y_pred.dim() < 1:
        raise ValueError(
            "Invalid shapes for loss `categorical_crossentropy`: `y_true` "
            "and `y_pred` must be at least rank 1. Received: "
            f"y_true.shape={format_shape(y_true.shape)}, "
            f"y_pred.shape={format_shape(y_pred.shape)}"
        )
    y_true = smooth_categorical_labels(y_true, label_smoothing)
    if from_logits:
        log_prob = F.log_softmax(y_pred, dim=axis)
    else:
        eps = config.epsilon()
        output = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clip(output, eps, 1.0 - eps))
    return -torch.sum(y_true * log_prob, dim=axis)


def _sparse_labels(
    y_true: torch.Tensor, y_pred: torch.Tensor, axis: int
) -> torch.Tensor:
    """Squeeze a size-1 class axis off `y_true` and check its shape."""
    if y_true.dim() == y_pred.dim() and y_pred.dim() > 0:
        if y_true.shape[axis] == 1:
            y_true = y_true.squeeze(axis)
        elif y_true.shape[axis] > 1:
            raise ValueError(
                "Invalid `y_true` for loss `sparse_categorical_crossentropy`"
                ": it expects integer class indices of shape "
                f"{format_shape(_without_axis(y_pred.shape, axis))} (y_pred."
                "shape without the class axis), but y_true has the rank of "
                "y_pred and looks one-hot encoded. For one-hot labels use "
                "`categorical_crossentropy` / `CategoricalCrossentropy`. "
                f"Received: y_true.shape={format_shape(y_true.shape)}, "
                f"y_pred.shape={format_shape(y_pred.shape)}"
            )
    if y_pred.dim() < 1 or tuple(y_true.shape) != _without_axis(
        y_pred.shape, axis
    ):
        raise ValueError(
            "Invalid shapes for loss `sparse_categorical_crossentropy`: "
            "`y_true` must have the shape of `y_pred` without its class axis."
            f" Received: y_true.shape={format_shape(y_true.shape)}, "
            f"y_pred.shape={format_shape(y_pred.shape)}"
        )
    return y_true


def _without_axis(shape: torch.Size, axis: int) -> tuple:
    shape = list(shape)
    if shape:
        del shape[axis]
    return tuple(shape)


def _sparse_kernel(
    labels: torch.Tensor,
    y_pred: torch.Tensor,
    from_logits: bool,
    ignore_index: int,
    axis: int,
) -> torch.Tensor:
    """torch's fused NLL kernels; they want the class axis at position 1
    and give 0 at `ignore_index` (-100, torch's default, when unset)."""
    target = labels if labels.dtype == torch.long else labels.long()
    single = y_pred.dim() == 1
    if single:
        y_pred, target = y_pred.unsqueeze(0), target.unsqueeze(0)
    elif axis % y_pred.dim() != 1:
        y_pred = y_pred.movedim(axis, 1)
    if from_logits:
        res = F.cross_entropy(
            y_pred, target, ignore_index=ignore_index, reduction="none"
        )
    else:
        eps = config.epsilon()
        output = y_pred / torch.sum(y_pred, dim=1, keepdim=True)
        log_prob = torch.log(torch.clip(output, eps, 1.0 - eps))
        res = F.nll_loss(
            log_prob, target, ignore_index=ignore_index, reduction="none"
        )
    return res.squeeze(0) if single else res


def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> torch.Tensor:
    """Categorical cross-entropy with integer class labels.

    Args:
        y_true: integer class indices of any int (or integral float)
            dtype, shape `y_pred.shape` without `axis` (a trailing size-1
            axis is squeezed).
        y_pred: predicted probabilities (or logits) over the classes.
        from_logits: whether `y_pred` holds logits.
        ignore_class: optional class index (e.g. `-1` or `255`) whose
            entries get loss 0 and are masked out of the reduction.
        axis: the class axis of `y_pred`. Defaults to `-1`.

    Returns:
        Losses of shape `y_pred.shape` without `axis`. With
        `ignore_class`, the result carries its validity mask as
        `_keras_mask`, which `Loss` uses in the reduction.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.sparse_categorical_crossentropy(
    ...     torch.tensor([1]), torch.tensor([[0.5, 0.5]]))
    tensor([0.6931])
    """
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, device=y_pred.device)
    y_true = _sparse_labels(y_true, y_pred, axis)
    ignore = -100 if ignore_class is None else int(ignore_class)
    res = _sparse_kernel(y_true, y_pred, from_logits, ignore, axis)
    if ignore_class is not None:
        res._keras_mask = y_true != ignore_class
    return res


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy between labels and predicted probabilities.

    Use it for binary (0/1) labels, one prediction per label: a
    probability, or a logit with `from_logits=True` (more stable).

    Args:
        from_logits: whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: float in `[0, 1]`; labels are squeezed towards
            0.5. Defaults to `0.0`.
        axis: the axis the mean is taken over. Defaults to `-1`.
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"binary_crossentropy"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.BinaryCrossentropy(from_logits=True)
    >>> loss(torch.tensor([0.0, 1.0]), torch.tensor([0.0, 0.0]))
    tensor(0.6931)
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between one-hot labels and predicted distributions.

    For integer labels use `SparseCategoricalCrossentropy`.

    Args:
        from_logits: whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: float in `[0, 1]`; `0.1` gives `0.1 / classes` to
            every non-target class and `0.9 + 0.1 / classes` to the target.
        axis: the class axis. Defaults to `-1`.
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"categorical_crossentropy"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.CategoricalCrossentropy()
    >>> loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
    tensor(0.6931)
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between integer labels and predicted distributions.

    For one-hot labels use `CategoricalCrossentropy`. With
    `from_logits=True` this runs torch's fused `cross_entropy` kernel and
    never builds a one-hot tensor.

    Args:
        from_logits: whether `y_pred` holds logits. Defaults to `False`.
        ignore_class: optional class index (e.g. `-1` or `255`) whose
            entries are left out of the loss and of its average.
        reduction: see `lamina.losses.Loss`.
        axis: the class axis of `y_pred`. Defaults to `-1`.
        name: optional name; defaults to
            `"sparse_categorical_crossentropy"`.
        dtype: see `lamina.losses.Loss`.

    Unlike Keras 3.15, whose config drops it, `axis` is kept in the
    config.

    Example:

    >>> import torch, lamina
    >>> loss = lamina.losses.SparseCategoricalCrossentropy(ignore_class=-1)
    >>> loss(torch.tensor([1, -1]), torch.tensor([[0.5, 0.5], [0.9, 0.1]]))
    tensor(0.6931)
    """

    _config_keys = ("from_logits", "ignore_class", "axis")
    # Labels stay integers: no float32 round trip before the kernel.
    _cast_y_true = False

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        reduction: str | None = "sum_over_batch_size",
        axis: int = -1,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
