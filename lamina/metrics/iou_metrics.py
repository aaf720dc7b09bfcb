"""Intersection-over-union metrics for segmentation: `IoU`, `BinaryIoU`,
`MeanIoU`, `OneHotIoU` and `OneHotMeanIoU`.

Predictions are accumulated in a `(num_classes, num_classes)` confusion
matrix (rows: labels, columns: predictions); a class's IoU is
`true_positives / (true_positives + false_positives + false_negatives)`.
"""

from __future__ import annotations

import warnings
from typing import Any, Sequence

import torch

from lamina import config
from lamina.metrics import metrics_utils
from lamina.metrics.metric import Metric


class _IoUBase(Metric):
    """The confusion matrix of class ids, accumulated over batches.

    The state's dtype defaults to `"int32"` (integer counts); pass a float
    `dtype` to use fractional sample weights.
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(name=name, dtype=dtype or "int32")
        self._direction = "up"
        if not isinstance(num_classes, int) or num_classes < 1:
            raise ValueError(
                f"Invalid value for argument `num_classes` of "
                f"{type(self).__name__}: expected an integer >= 1. "
                f"Received: num_classes={num_classes!r}"
            )
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            shape=(num_classes, num_classes),
            initializer="zeros",
            dtype=self.dtype,
            name="total_confusion_matrix",
        )

    def _class_ids(self, y_true, y_pred):
        """Both inputs as flat class ids in the state's dtype."""
        if not self.sparse_y_true:
            y_true = y_true.argmax(self.axis)
        if not self.sparse_y_pred:
            y_pred = y_pred.argmax(self.axis)
        y_true = y_true.to(self._torch_dtype).reshape(-1)
        y_pred = y_pred.to(self._torch_dtype).reshape(-1)
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expected as many "
                "class ids in `y_true` as in `y_pred`. Received: "
                f"{y_true.numel()} and {y_pred.numel()} ids"
            )
        return y_true, y_pred

    def _weights(self, sample_weight, y_true) -> torch.Tensor:
        if sample_weight is None:
            return torch.ones_like(y_true)
        if (
            "float" in str(getattr(sample_weight, "dtype", ""))
            and not self._torch_dtype.is_floating_point
        ):
            warnings.warn(
                "You are passing weight as `float`, but dtype is `int`. "
                "This may result in an incorrect weight due to type "
                "casting. Consider using integer weights.",
                stacklevel=3,
            )
        weights = metrics_utils.to_tensor(
            sample_weight, self._torch_dtype, y_true.device
        ).reshape(-1)
        if weights.numel() not in (1, y_true.numel()):
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expected one sample "
                f"weight per class id ({y_true.numel()}) or a scalar. "
                f"Received: sample_weight.shape="
                f"{tuple(sample_weight.shape)}"
            )
        return torch.broadcast_to(weights, y_true.shape)

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        """Accumulate the confusion matrix of a batch.

        Args:
            y_true: the ground truth class ids (or one-hot labels when
                `sparse_y_true=False`).
            y_pred: the predicted class ids (or scores when
                `sparse_y_pred=False`).
            sample_weight: optional weights, a scalar or one per id.
        """
        y_pred = metrics_utils.to_tensor(y_pred, device=self.device)
        self._follow_device(y_pred)
        y_true = metrics_utils.to_tensor(y_true, device=y_pred.device)
        y_true, y_pred = self._class_ids(y_true, y_pred)
        weights = self._weights(sample_weight, y_true)
        # Out-of-range ids (and the ignored class) add nothing, decided on
        # the device without a host read.
        keep = (
            (y_true >= 0)
            & (y_true < self.num_classes)
            & (y_pred >= 0)
            & (y_pred < self.num_classes)
        )
        if self.ignore_class is not None:
            keep = keep & (y_true != self.ignore_class)
        y_true = torch.where(keep, y_true, 0).long()
        y_pred = torch.where(keep, y_pred, 0).long()
        weights = torch.where(keep, weights, 0).to(self.total_cm.dtype)
        self.total_cm.view(-1).index_add_(
            0, y_true * self.num_classes + y_pred, weights
        )


class IoU(_IoUBase):
    """Computes the Intersection-Over-Union metric for target classes.

    `iou = true_positives / (true_positives + false_positives +
    false_negatives)`, averaged over the target classes present in the
    data (a class absent from both labels and predictions is skipped).

    Args:
        num_classes: the number of possible labels.
        target_class_ids: the ids of the classes to average over.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the state. Defaults to `"int32"`.
        ignore_class: (Optional) a label id to leave out (e.g. "void").
        sparse_y_true: whether labels are class ids (True) or one-hot.
        sparse_y_pred: whether predictions are class ids (True) or scores.
        axis: (Optional) the class axis of one-hot inputs.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 5)
    0.33333
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        target_class_ids = list(target_class_ids)
        if not target_class_ids or not all(
            0 <= i < num_classes for i in target_class_ids
        ):
            raise ValueError(
                f"Invalid value for argument `target_class_ids` of "
                f"{type(self).__name__}: expected ids in the range "
                f"[0, {num_classes}). "
                f"Received: target_class_ids={target_class_ids!r}"
            )
        self.target_class_ids = target_class_ids
        self._target_ids_tensor = torch.tensor(
            target_class_ids, device=self.device
        )

    def result(self) -> torch.Tensor:
        cm = self.total_cm
        true_positives = torch.diagonal(cm)
        denominator = cm.sum(0) + cm.sum(1) - true_positives
        ids = self._target_ids_tensor
        true_positives = true_positives[ids].to(torch.float32)
        denominator = denominator[ids].to(torch.float32)
        valid = denominator > 1e-9
        iou = true_positives / (denominator + config.epsilon())
        iou = torch.where(valid, iou, 0.0)
        return iou.sum(self.axis) / (valid.sum() + config.epsilon())

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class BinaryIoU(IoU):
    """Computes the Intersection-Over-Union metric for classes 0 and/or 1.

    Predictions are class 1 where `y_pred >= threshold`, else class 0.

    Args:
        target_class_ids: the classes to average over: `[0]`, `[1]` or
            `[0, 1]` (default).
        threshold: the value from which a prediction is class 1.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the state. Defaults to `"int32"`.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> round(float(m.result()), 5)
    0.33333
    """

    def __init__(
        self,
        target_class_ids: Sequence[int] = (0, 1),
        threshold: float = 0.5,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(
            num_classes=2,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
        )
        self.threshold = threshold

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        y_pred = metrics_utils.to_tensor(y_pred, device=self.device)
        y_pred = y_pred.to(torch.float32) >= self.threshold
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """Computes the mean Intersection-Over-Union metric over all classes.

    Args:
        num_classes: the number of possible labels.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the state. Defaults to `"int32"`.
        ignore_class: (Optional) a label id to leave out (e.g. "void").
        sparse_y_true: whether labels are class ids (True) or one-hot.
        sparse_y_pred: whether predictions are class ids (True) or scores.
        axis: (Optional) the class axis of one-hot inputs.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 5)
    0.33333
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=range(num_classes)
            if isinstance(num_classes, int)
            else [],
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotIoU(IoU):
    """Computes the Intersection-Over-Union for one-hot encoded labels.

    Args:
        num_classes: the number of possible labels.
        target_class_ids: the ids of the classes to average over.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the state. Defaults to `"int32"`.
        ignore_class: (Optional) a label id to leave out.
        sparse_y_pred: whether predictions are class ids (default: scores).
        axis: (Optional) the class axis. Defaults to `-1`.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
    ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1],
    ...                 [0.1, 0.4, 0.5]])
    >>> round(float(m.result()), 5)
    0.16667
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """Computes the mean Intersection-Over-Union for one-hot labels.

    Args:
        num_classes: the number of possible labels.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the state. Defaults to `"int32"`.
        ignore_class: (Optional) a label id to leave out.
        sparse_y_pred: whether predictions are class ids (default: scores).
        axis: (Optional) the class axis. Defaults to `-1`.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.OneHotMeanIoU(num_classes=3)
    >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
    ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1],
    ...                 [0.1, 0.4, 0.5]])
    >>> round(float(m.result()), 5)
    0.11111
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
