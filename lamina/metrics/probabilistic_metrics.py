"""Probabilistic metrics: the running mean of crossentropies, KL divergence
and the Poisson loss.

The per-sample functions are written here, on torch, to match Keras's
numbers (same clipping by `epsilon()`), independently of `lamina.losses`.
"""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from lamina import config
from lamina.metrics import metrics_utils
from lamina.metrics.reduction_metrics import MeanMetricWrapper


def kl_divergence(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to
    `[epsilon, 1]`."""
    y_true, y_pred = metrics_utils.prepare_pair("kl_divergence", y_true, y_pred)
    y_true = torch.clamp(y_true, config.epsilon(), 1.0)
    y_pred = torch.clamp(y_pred, config.epsilon(), 1.0)
    return (y_true * torch.log(y_true / y_pred)).sum(-1)


def poisson(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_true, y_pred = metrics_utils.prepare_pair("poisson", y_true, y_pred)
    return (y_pred - y_true * torch.log(y_pred + config.epsilon())).mean(-1)


def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """The binary crossentropy, averaged over `axis`.

    Probabilities are clipped to `[epsilon, 1 - epsilon]`; labels are
    smoothed towards 0.5 by `label_smoothing`.
    """
    y_true, y_pred = metrics_utils.prepare_pair(
        "binary_crossentropy", y_true, y_pred
    )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        losses = F.binary_cross_entropy_with_logits(
            y_pred, y_true, reduction="none"
        )
    else:
        eps = config.epsilon()
        losses = F.binary_cross_entropy(
            torch.clamp(y_pred, eps, 1 - eps), y_true, reduction="none"
        )
    return losses.mean(axis)


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
    """The binary crossentropy scaled by `(1 - p_t) ** gamma` (and by
    `alpha` / `1 - alpha` per class when `apply_class_balancing`), which
    down-weights easy examples (Lin et al., 2018,
    https://arxiv.org/abs/1708.02002). Averaged over `axis`."""
    y_true, y_pred = metrics_utils.prepare_pair(
        "binary_focal_crossentropy", y_true, y_pred
    )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    eps = config.epsilon()
    bce = F.binary_cross_entropy(
        torch.clamp(y_pred, eps, 1 - eps), y_true, reduction="none"
    )
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return focal.mean(axis)


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """The categorical crossentropy with each class term scaled by
    `alpha * (1 - p) ** gamma`, summed over `axis`."""
    y_pred = metrics_utils.to_tensor(y_pred)
    y_true = metrics_utils.to_tensor(y_true, y_pred.dtype, y_pred.device)
    metrics_utils.check_same_shape(
        "categorical_focal_crossentropy", y_true, y_pred
    )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + (
            label_smoothing / y_true.shape[-1]
        )
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    if isinstance(alpha, (list, tuple)):  # One weight per class.
        alpha = torch.as_tensor(alpha, dtype=y_pred.dtype, device=y_pred.device)
    eps = config.epsilon()
    output = torch.clamp(
        y_pred / y_pred.sum(axis, keepdim=True), eps, 1.0 - eps
    )
    focal = (
        alpha * torch.pow(1.0 - output, gamma) * (-y_true * torch.log(output))
    )
    return focal.sum(axis)


def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """The crossentropy of one-hot (or soft) labels, summed over `axis`.

    Probabilities are renormalized to sum to 1, then clipped to
    `[epsilon, 1 - epsilon]`.
    """
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(
            "Invalid value for argument `axis` of categorical_crossentropy: "
            f"expected an integer. Received: axis={axis!r}"
        )
    y_pred = metrics_utils.to_tensor(y_pred)
    y_true = metrics_utils.to_tensor(y_true, y_pred.dtype, y_pred.device)
    metrics_utils.check_same_shape("categorical_crossentropy", y_true, y_pred)
    if y_pred.ndim < 1:
        raise ValueError(
            "`categorical_crossentropy` expected inputs of rank >= 1. "
            f"Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be "
            "(batch_size, num_classes) with num_classes > 1. Received: "
            f"y_pred.shape={tuple(y_pred.shape)}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + (
            label_smoothing / num_classes
        )
    if from_logits:
        log_prob = F.log_softmax(y_pred, dim=axis)
    else:
        eps = config.epsilon()
        output = y_pred / y_pred.sum(axis, keepdim=True)
        log_prob = torch.log(torch.clamp(output, eps, 1.0 - eps))
    return -(y_true * log_prob).sum(axis)


def _sparse_crossentropy(y_true, y_pred, from_logits, axis):
    if y_pred.ndim < 1:
        raise ValueError(
            "`sparse_categorical_crossentropy` expected `y_pred` of rank "
            f">= 1. Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    class_axis = axis % y_pred.ndim
    expected = y_pred.shape[:class_axis] + y_pred.shape[class_axis + 1 :]
    if y_true.shape != expected:
        raise ValueError(
            "`sparse_categorical_crossentropy` expected integer labels with "
            "the shape of `y_pred` without its class axis. Received: "
            f"y_true.shape={tuple(y_true.shape)}, "
            f"y_pred.shape={tuple(y_pred.shape)}"
        )
    squeeze = y_pred.ndim == 1
    if squeeze:
        y_pred, y_true, class_axis = y_pred[None], y_true[None], 1
    # torch's kernels want the class axis at position 1.
    y_pred = y_pred.movedim(class_axis, 1)
    if from_logits:
        result = F.cross_entropy(y_pred, y_true, reduction="none")
    else:
        eps = config.epsilon()
        output = y_pred / y_pred.sum(1, keepdim=True)
        log_prob = torch.log(torch.clamp(output, eps, 1.0 - eps))
        result = F.nll_loss(log_prob, y_true, reduction="none")
    return result[0] if squeeze else result


def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> torch.Tensor:
    """The crossentropy of integer labels.

    Entries whose label is `ignore_class` give 0 and are marked in the
    result's Keras mask (`_keras_mask`), which sample weighting honours.
    """
    y_pred = metrics_utils.to_tensor(y_pred)
    y_true = metrics_utils.to_tensor(y_true, device=y_pred.device)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    valid = None
    if ignore_class is not None:
        valid = y_true != ignore_class
        y_true = torch.where(valid, y_true, 0)
        y_pred = torch.where(valid.unsqueeze(axis), y_pred, 0.0)
    result = _sparse_crossentropy(y_true.long(), y_pred, from_logits, axis)
    if valid is not None:
        result = torch.where(valid, result, 0.0)
        result._keras_mask = valid
    return result


class KLDivergence(MeanMetricWrapper):
    """Computes the Kullback-Leibler divergence of `y_pred` from `y_true`.

    `metric = y_true * log(y_true / y_pred)`, summed over the last axis.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.KLDivergence()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 5)
    0.45814
    """

    def __init__(self, name: str = "kl_divergence", dtype: Any = None):
        super().__init__(fn=kl_divergence, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class Poisson(MeanMetricWrapper):
    """Computes the Poisson metric: `y_pred - y_true * log(y_pred)`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.Poisson()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> round(float(m.result()), 5)
    0.5
    """

    def __init__(self, name: str = "poisson", dtype: Any = None):
        super().__init__(fn=poisson, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class BinaryCrossentropy(MeanMetricWrapper):
    """Computes the crossentropy between binary labels and predictions.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_logits: (Optional) whether `y_pred` holds logits rather than
            probabilities.
        label_smoothing: (Optional) float in `[0, 1]`; labels are moved
            towards 0.5 by this amount (0.2 means 0.1 for "0", 0.9 for "1").

    Example:

    >>> import lamina
    >>> m = lamina.metrics.BinaryCrossentropy()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 5)
    0.81492
    """

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ):
        super().__init__(
            binary_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self._direction = "down"

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
        }


class CategoricalCrossentropy(MeanMetricWrapper):
    """Computes the crossentropy between one-hot labels and predictions.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_logits: (Optional) whether `y_pred` holds logits.
        label_smoothing: (Optional) float in `[0, 1]` by which labels are
            smoothed towards the uniform distribution.
        axis: (Optional) the class axis. Defaults to `-1`.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.CategoricalCrossentropy()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]],
    ...                [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> round(float(m.result()), 5)
    1.17694
    """

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ):
        super().__init__(
            categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self._direction = "down"

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Computes the crossentropy between integer labels and predictions.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_logits: (Optional) whether `y_pred` holds logits.
        ignore_class: (Optional) integer label to leave out (e.g. a "void"
            class in segmentation maps).
        axis: (Optional) the class axis of `y_pred`. Defaults to `-1`.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.SparseCategoricalCrossentropy()
    >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> round(float(m.result()), 5)
    1.17694
    """

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
        self._direction = "down"

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
            "axis": self.axis,
        }
