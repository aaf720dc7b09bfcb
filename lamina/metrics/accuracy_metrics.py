"""Accuracy metrics: how often predictions match the labels.

Each metric is the running (weighted) mean of a per-sample function that
is also public (`binary_accuracy`, `sparse_categorical_accuracy`, ...).
These run every training step, so each is a few fused torch ops.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.metrics import metrics_utils
from lamina.metrics.reduction_metrics import MeanMetricWrapper
from lamina.utils.dtype_utils import to_torch_dtype


_FLOATX_CACHE: dict[str, torch.dtype] = {}


def _floatx() -> torch.dtype:
    # Looked up every step, so the name-to-dtype conversion is cached.
    name = config.floatx()
    dtype = _FLOATX_CACHE.get(name)
    if dtype is None:
        dtype = _FLOATX_CACHE[name] = to_torch_dtype(name)
    return dtype


def accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """1.0 where `y_pred` equals `y_true`, else 0.0 (elementwise)."""
    y_true, y_pred = metrics_utils.prepare_pair("accuracy", y_true, y_pred)
    return torch.eq(y_true, y_pred).to(_floatx())


def binary_accuracy(
    y_true: Any, y_pred: Any, threshold: float = 0.5
) -> torch.Tensor:
    """1.0 where `y_pred > threshold` matches the 0/1 label (elementwise)."""
    y_true, y_pred = metrics_utils.prepare_pair(
        "binary_accuracy", y_true, y_pred, cast_true=False
    )
    return torch.eq(y_true, y_pred > threshold).to(_floatx())


def categorical_accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """1.0 where the argmax of `y_pred` is the one-hot label's class."""
    y_pred = metrics_utils.to_tensor(y_pred)
    y_true = metrics_utils.to_tensor(y_true, device=y_pred.device)
    metrics_utils.check_same_shape("categorical_accuracy", y_true, y_pred)
    matches = torch.eq(_argmax(y_true), _argmax(y_pred))
    return matches.to(_floatx())


def _argmax(x: torch.Tensor) -> torch.Tensor:
    # torch has no bool argmax; Keras's takes bool one-hot labels.
    return (x.to(torch.uint8) if x.dtype == torch.bool else x).argmax(-1)


def _check_sparse(owner: str, y_true, y_pred) -> None:
    if y_pred.ndim < 1 or y_true.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"`{owner}` expected integer labels `y_true` with the shape of "
            "`y_pred` without its last (class) axis. Received: "
            f"y_true.shape={tuple(y_true.shape)}, "
            f"y_pred.shape={tuple(y_pred.shape)}"
        )


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """1.0 where the argmax of `y_pred` equals the integer label."""
    y_pred = metrics_utils.to_tensor(y_pred)
    y_true = metrics_utils.to_tensor(y_true, device=y_pred.device)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    _check_sparse("sparse_categorical_accuracy", y_true, y_pred)
    matches = torch.eq(y_true, y_pred.argmax(-1)).to(_floatx())
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = matches.squeeze(-1)
    return matches


def _in_top_k(
    targets: torch.Tensor, predictions: torch.Tensor, k: int
) -> torch.Tensor:
    # A target ties into the top k when its score reaches the k-th best.
    k = min(k, predictions.shape[-1])
    kth_best = torch.topk(predictions, k).values[:, -1]
    target_score = predictions.gather(-1, targets.long()[:, None])[:, 0]
    return target_score >= kth_best


def top_k_categorical_accuracy(
    y_true: Any, y_pred: Any, k: int = 5
) -> torch.Tensor:
    """1.0 where the one-hot label's class is among the `k` best scores."""
    y_pred = metrics_utils.to_tensor(y_pred)
    y_true = metrics_utils.to_tensor(y_true, device=y_pred.device)
    metrics_utils.check_same_shape("top_k_categorical_accuracy", y_true, y_pred)
    labels = y_true.argmax(-1)
    matches = _in_top_k(
        labels.reshape(-1), y_pred.reshape(-1, y_pred.shape[-1]), k
    )
    return matches.reshape(labels.shape).to(_floatx())


def sparse_top_k_categorical_accuracy(
    y_true: Any, y_pred: Any, k: int = 5, from_sorted_ids: bool = False
) -> torch.Tensor:
    """1.0 where the integer label is among the `k` best predictions.

    Args:
        y_true: integer labels, shape `(batch_size,)` (or `(batch_size, 1)`).
        y_pred: scores `(batch_size, num_classes)`, or with
            `from_sorted_ids=True` the ids of the top `N >= k` classes,
            best first, `(batch_size, N)`.
        k: how many top predictions to look at.
        from_sorted_ids: whether `y_pred` holds sorted class ids.

    Returns:
        A float tensor of the shape of `y_true`.
    """
    y_pred = metrics_utils.to_tensor(y_pred)
    y_true = metrics_utils.to_tensor(y_true, device=y_pred.device)
    rows = y_pred.reshape(-1, y_pred.shape[-1]) if y_pred.ndim else y_pred
    if y_pred.ndim < 2 or y_true.numel() != rows.shape[0]:
        raise ValueError(
            "`sparse_top_k_categorical_accuracy` expected one label in "
            "`y_true` per row of `y_pred`. Received: "
            f"y_true.shape={tuple(y_true.shape)}, "
            f"y_pred.shape={tuple(y_pred.shape)}"
        )
    targets = y_true.reshape(-1)
    if from_sorted_ids:
        top = rows[:, :k]
        matches = torch.eq(targets.to(top.dtype)[:, None], top).any(1)
    else:
        matches = _in_top_k(targets, rows, k)
    return matches.reshape(y_true.shape).to(_floatx())


class Accuracy(MeanMetricWrapper):
    """Calculates how often predictions equal labels.

    The result is the (weighted) fraction of elements where `y_pred`
    equals `y_true`. Use a `sample_weight` of 0 to mask values.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """Calculates how often predictions match binary labels.

    A prediction counts as 1 when it is greater than `threshold`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        threshold: (Optional) the value above which a prediction is 1.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.BinaryAccuracy()
    >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> float(m.result())
    0.75
    """

    def __init__(
        self,
        name: str = "binary_accuracy",
        dtype: Any = None,
        threshold: float = 0.5,
    ):
        super().__init__(
            fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold
        )
        self.threshold = threshold
        self._direction = "up"

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "threshold": self.threshold,
        }


class CategoricalAccuracy(MeanMetricWrapper):
    """Calculates how often predictions match one-hot labels.

    `y_pred` may hold probabilities or logits: only its argmax matters.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.CategoricalAccuracy()
    >>> m.update_state([[0, 0, 1], [0, 1, 0]],
    ...                [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """Calculates how often predictions match integer labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.SparseCategoricalAccuracy()
    >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(
        self, name: str = "sparse_categorical_accuracy", dtype: Any = None
    ):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """Computes how often one-hot targets are in the top `k` predictions.

    Args:
        k: (Optional) number of top elements to look at. Defaults to 5.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.TopKCategoricalAccuracy(k=1)
    >>> m.update_state([[0, 0, 1], [0, 1, 0]],
    ...                [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(
        self,
        k: int = 5,
        name: str = "top_k_categorical_accuracy",
        dtype: Any = None,
    ):
        super().__init__(
            fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k
        )
        self.k = k
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """Computes how often integer targets are in the top `k` predictions.

    Args:
        k: (Optional) number of top elements to look at. Defaults to 5.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_sorted_ids: (Optional) when True, `y_pred` holds the ids of
            the top `N >= k` classes, best first, instead of scores.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.SparseTopKCategoricalAccuracy(k=1)
    >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(
        self,
        k: int = 5,
        name: str = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
        from_sorted_ids: bool = False,
    ):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self) -> dict:
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
