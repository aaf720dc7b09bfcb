"""Shared tensor helpers of the metrics: input conversion, thresholds and
the confusion-matrix accumulators. Rank matching and masks are the losses'
helpers (`losses/loss_utils.py`), re-exported here."""

from __future__ import annotations

from enum import Enum
from typing import Any

import numpy as np
import torch

from lamina import config

# The masking helpers are the losses' (one rule for losses and metrics).
from lamina.losses.loss_utils import apply_mask as apply_mask
from lamina.losses.loss_utils import (
    squeeze_or_expand_to_same_rank as squeeze_or_expand_to_same_rank,
)
from lamina.ops import _convert
from lamina.utils.dtype_utils import to_torch_dtype

# The threshold that lets every top-k prediction count as positive.
NEG_INF = -1e10


def to_tensor(
    x: Any, dtype: torch.dtype | None = None, device: Any = None
) -> torch.Tensor:
    """A tensor by Keras's rules (`ops._convert`), made on `device` unless
    one already; `dtype` casts labels and weights as Keras's metrics do."""
    return _convert.to_tensor(x, dtype=dtype, device=device)


def get_mask(x: Any) -> torch.Tensor | None:
    """The Keras mask a layer attached to `x`, if any."""
    return getattr(x, "_keras_mask", None)


def divide_no_nan(x1: torch.Tensor | float, x2: torch.Tensor) -> torch.Tensor:
    """`x1 / x2`, with 0 wherever `x2` is 0."""
    zero = x2 == 0
    return torch.where(zero, 0.0, x1 / torch.where(zero, 1.0, x2))


def check_same_shape(owner: str, y_true, y_pred) -> None:
    """Raise the error that names `owner` for labels and predictions of
    different shapes (nothing is silently broadcast)."""
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"`{owner}` expected `y_true` and `y_pred` with the same shape. "
            f"Received: y_true.shape={tuple(y_true.shape)}, "
            f"y_pred.shape={tuple(y_pred.shape)}"
        )


def prepare_pair(
    owner: str,
    y_true: Any,
    y_pred: Any,
    cast_true: bool = True,
    broadcast: bool = False,
):
    """Labels and predictions as tensors on one device, ranks matched
    (a trailing axis of size 1 squeezed or added) and shapes checked.

    `y_true` takes `y_pred`'s dtype when `cast_true`, as in Keras; integer
    or bool predictions become `floatx()` (Keras's means promote them).
    With `broadcast` (the regression metrics, whose Keras formulas
    broadcast `y_true - y_pred`), broadcastable shapes are accepted.
    """
    y_pred = to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(to_torch_dtype(config.floatx()))
    y_true = to_tensor(
        y_true, y_pred.dtype if cast_true else None, y_pred.device
    )
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if broadcast:
        try:
            torch.broadcast_shapes(y_true.shape, y_pred.shape)
            return y_true, y_pred
        except RuntimeError:
            pass  # raise the error below
    check_same_shape(owner, y_true, y_pred)
    return y_true, y_pred


class ConfusionMatrix(Enum):
    TRUE_POSITIVES = "tp"
    FALSE_POSITIVES = "fp"
    TRUE_NEGATIVES = "tn"
    FALSE_NEGATIVES = "fn"


class AUCCurve(Enum):
    """The curve an `AUC` integrates: ROC, PR or PR-gain."""

    ROC = "ROC"
    PR = "PR"
    PRGAIN = "PRGAIN"

    @staticmethod
    def from_str(key: str) -> AUCCurve:
        for member in AUCCurve:
            if isinstance(key, str) and key.upper() == member.value:
                return member
        raise ValueError(
            "Invalid value for argument `curve` of AUC: expected one of "
            f"['ROC', 'PR', 'PRGAIN']. Received: curve={key!r}"
        )


class AUCSummationMethod(Enum):
    """The Riemann sum an `AUC` uses between thresholds."""

    INTERPOLATION = "interpolation"
    MAJORING = "majoring"
    MINORING = "minoring"

    @staticmethod
    def from_str(key: str) -> AUCSummationMethod:
        for member in AUCSummationMethod:
            if isinstance(key, str) and key.lower() == member.value:
                return member
        raise ValueError(
            "Invalid value for argument `summation_method` of AUC: expected "
            "one of ['interpolation', 'majoring', 'minoring']. Received: "
            f"summation_method={key!r}"
        )


def _as_list(x: Any) -> list:
    if isinstance(x, (list, tuple)):
        return list(x)
    if isinstance(x, (np.ndarray, torch.Tensor)):
        return np.asarray(x).reshape(-1).tolist()
    return [x]


def parse_init_thresholds(
    owner: str, thresholds: Any, default_threshold: float = 0.5
) -> list:
    """The thresholds as a list of floats in [0, 1] (or the default)."""
    if thresholds is None:
        return [default_threshold]
    values = _as_list(thresholds)
    invalid = [t for t in values if t is None or not 0 <= t <= 1]
    if invalid or not values:
        raise ValueError(
            f"Invalid value for argument `thresholds` of {owner}: expected "
            f"values in [0, 1]. Received: thresholds={thresholds!r}"
        )
    return [float(t) for t in values]


def is_evenly_distributed_thresholds(thresholds: Any) -> bool:
    """True for `[0, 1/(n-1), ..., 1]` with n >= 3 (the bucketed fast path)."""
    num = len(thresholds)
    if num < 3:
        return False
    even = np.arange(num, dtype=np.float32) / (num - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def filter_top_k(x: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the top-k values of the last axis, set the rest to NEG_INF."""
    _, indices = torch.topk(x, k)
    keep = torch.zeros_like(x).scatter_(-1, indices, 1.0)
    return x * keep + NEG_INF * (1 - keep)


def _prepare_inputs(
    y_true, y_pred, sample_weight, top_k, class_id, dtype, device
):
    y_true = to_tensor(y_true, device=device).to(dtype)
    y_pred = to_tensor(y_pred, device=device).to(dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = to_tensor(sample_weight, dtype, y_pred.device)
        _, sample_weight = squeeze_or_expand_to_same_rank(
            y_true, sample_weight.unsqueeze(-1), expand_rank_1=False
        )
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with "
                "shape (num_samples, num_classes). Received: "
                f"y_pred.shape={tuple(y_pred.shape)}"
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
        # Per-class weights follow their class (Keras fails to broadcast).
        if (
            sample_weight is not None
            and sample_weight.ndim == y_pred.ndim
            and sample_weight.shape[-1] > 1
        ):
            sample_weight = sample_weight[..., class_id, None]
    return y_true, y_pred, sample_weight


def update_confusion_matrix_variables(
    variables_to_update: dict,
    y_true: Any,
    y_pred: Any,
    thresholds: list,
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight: Any = None,
    multi_label: bool = False,
    label_weights: torch.Tensor | None = None,
    thresholds_distributed_evenly: bool = False,
    thresholds_tensor: torch.Tensor | None = None,
) -> None:
    """Add this batch's weighted TP/FP/TN/FN counts at every threshold.

    A prediction is positive at threshold `t` when `y_pred > t`; `y_true`
    is cast to bool. `variables_to_update` maps `ConfusionMatrix` members
    to the state tensors, shaped `(num_thresholds,)`, or
    `(num_thresholds, num_labels)` when `multi_label`. Pass the thresholds
    already on the device as `thresholds_tensor` to spare a host copy.
    """
    if multi_label and label_weights is not None:
        raise ValueError(
            "`label_weights` for multilabel data should be handled outside "
            "of `update_confusion_matrix_variables` when `multi_label` is "
            "True."
        )
    invalid = [
        k for k in variables_to_update if not isinstance(k, ConfusionMatrix)
    ]
    if invalid or not variables_to_update:
        raise ValueError(
            "Invalid keys for `variables_to_update`: expected "
            f"ConfusionMatrix members. Received: {list(variables_to_update)}"
        )
    first = next(iter(variables_to_update.values()))
    y_true, y_pred, sample_weight = _prepare_inputs(
        y_true,
        y_pred,
        sample_weight,
        top_k,
        class_id,
        first.dtype,
        first.device,
    )
    if thresholds_distributed_evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        _update_bucketed(
            variables_to_update,
            y_true,
            y_pred,
            len(thresholds),
            multi_label,
            sample_weight,
            label_weights,
            with_epsilon,
        )
        return
    if thresholds_tensor is None:
        thresholds_tensor = torch.as_tensor(thresholds)
    thresholds_tensor = thresholds_tensor.to(y_pred.device, y_pred.dtype)
    _update_thresholded(
        variables_to_update,
        y_true,
        y_pred,
        thresholds_tensor,
        multi_label,
        sample_weight,
        label_weights,
    )


def _flat_weights(y_pred, sample_weight, label_weights, flatten):
    weights = None
    if sample_weight is not None:
        weights = torch.broadcast_to(
            sample_weight.to(y_pred.dtype), y_pred.shape
        )
    if label_weights is not None:
        lw = torch.broadcast_to(
            label_weights.to(y_pred.dtype).unsqueeze(0), y_pred.shape
        )
        weights = lw if weights is None else weights * lw
    if weights is not None and flatten:
        weights = weights.reshape(-1)
    return weights


def _update_thresholded(
    variables,
    y_true,
    y_pred,
    thresholds,
    multi_label,
    sample_weight,
    label_weights,
):
    # Compare every prediction with every threshold: (T, N[, L]) booleans.
    if multi_label:
        preds, labels = y_pred.unsqueeze(0), y_true.bool().unsqueeze(0)
        thresholds = thresholds.reshape(-1, 1, 1)
    else:
        preds = y_pred.reshape(1, -1)
        labels = y_true.bool().reshape(1, -1)
        thresholds = thresholds.reshape(-1, 1)
    weights = _flat_weights(
        y_pred, sample_weight, label_weights, flatten=not multi_label
    )
    if weights is not None:
        weights = weights.reshape(preds.shape)
    pred_pos = preds > thresholds
    conditions = {
        ConfusionMatrix.TRUE_POSITIVES: (labels, pred_pos),
        ConfusionMatrix.FALSE_POSITIVES: (~labels, pred_pos),
        ConfusionMatrix.TRUE_NEGATIVES: (~labels, ~pred_pos),
        ConfusionMatrix.FALSE_NEGATIVES: (labels, ~pred_pos),
    }
    for key, variable in variables.items():
        label, pred = conditions[key]
        both = torch.logical_and(label, pred)
        if weights is None:
            counts = both.sum(1).to(variable.dtype)
        else:
            counts = torch.where(both, weights.to(variable.dtype), 0).sum(1)
        variable.add_(counts)


def _update_bucketed(
    variables,
    y_true,
    y_pred,
    num_thresholds,
    multi_label,
    sample_weight,
    label_weights,
    with_epsilon,
):
    """O(N + T) update for evenly spaced thresholds.

    Each prediction falls in one bucket between two thresholds; the count
    above threshold i is the number of predictions in buckets >= i, a
    reversed cumulative sum of the per-bucket sums.
    """
    weights = _flat_weights(
        y_pred, sample_weight, label_weights, flatten=not multi_label
    )
    y_pred = y_pred.clamp(0.0, 1.0)
    y_true = y_true.bool().to(y_pred.dtype)
    if not multi_label:
        y_true, y_pred = y_true.reshape(-1, 1), y_pred.reshape(-1, 1)
        if weights is not None:
            weights = weights.reshape(-1, 1)
    true_labels = y_true if weights is None else y_true * weights
    false_labels = (
        (1.0 - y_true) if weights is None else ((1.0 - y_true) * weights)
    )
    # A prediction equal to a threshold is not above it: ceil(x) - 1.
    buckets = torch.ceil(y_pred * (num_thresholds - 1)) - 1
    if with_epsilon:
        buckets = torch.relu(buckets)
    buckets = buckets.long()
    num_labels = y_pred.shape[-1]
    # Bucket -1 (prediction not above the lowest threshold) counts nowhere.
    in_range = (buckets >= 0).to(y_pred.dtype)
    index = (
        buckets.clamp(min=0) * num_labels
        + torch.arange(num_labels, device=y_pred.device)
    ).reshape(-1)

    def above(labels):
        per_bucket = torch.zeros(
            num_thresholds * num_labels,
            dtype=y_pred.dtype,
            device=y_pred.device,
        )
        per_bucket.index_add_(0, index, (labels * in_range).reshape(-1))
        per_bucket = per_bucket.reshape(num_thresholds, num_labels)
        return per_bucket.flip(0).cumsum(0).flip(0)

    tp, fp = above(true_labels), above(false_labels)
    if not multi_label:
        tp, fp = tp.reshape(-1), fp.reshape(-1)
    totals_true = true_labels.sum(0) if multi_label else true_labels.sum()
    totals_false = false_labels.sum(0) if multi_label else false_labels.sum()
    counts = {
        ConfusionMatrix.TRUE_POSITIVES: lambda: tp,
        ConfusionMatrix.FALSE_POSITIVES: lambda: fp,
        ConfusionMatrix.TRUE_NEGATIVES: lambda: totals_false - fp,
        ConfusionMatrix.FALSE_NEGATIVES: lambda: totals_true - tp,
    }
    for key, variable in variables.items():
        variable.add_(counts[key]().to(variable.dtype))
