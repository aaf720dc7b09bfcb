"""Confusion-matrix counts at thresholds: `TruePositives`,
`FalsePositives`, `TrueNegatives`, `FalseNegatives`, `Precision` and
`Recall`.

A prediction is positive at threshold `t` when `y_pred > t`. Every count
is accumulated on the device for all thresholds at once.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.metrics import metrics_utils
from lamina.metrics.metric import Metric
from lamina.metrics.metrics_utils import ConfusionMatrix


class _ThresholdedMetric(Metric):
    """Shared set-up: parsed thresholds, kept on the device as well."""

    def _set_thresholds(self, thresholds: Any, default: float) -> None:
        self.init_thresholds = (
            list(thresholds) if isinstance(thresholds, tuple) else thresholds
        )
        self.thresholds = metrics_utils.parse_init_thresholds(
            type(self).__name__, thresholds, default_threshold=default
        )
        self._thresholds_distributed_evenly = (
            metrics_utils.is_evenly_distributed_thresholds(self.thresholds)
        )
        # A device copy made once: building it per batch would be a
        # host-to-device copy (and a sync) every step.
        self._thresholds_tensor = torch.tensor(
            self.thresholds, dtype=self._torch_dtype, device=self.device
        )

    def _update(
        self, variables: dict, y_true, y_pred, sample_weight, **options: Any
    ) -> None:
        # `options`: top_k, class_id, multi_label, label_weights.
        y_pred = metrics_utils.to_tensor(y_pred, device=self.device)
        self._follow_device(y_pred)
        metrics_utils.update_confusion_matrix_variables(
            variables,
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
            thresholds_tensor=self._thresholds_tensor,
            **options,
        )

    def _one_or_all(self, value: torch.Tensor) -> torch.Tensor:
        return value[0] if len(self.thresholds) == 1 else value


class _ConfusionMatrixConditionCount(_ThresholdedMetric):
    """The (weighted) count of one confusion-matrix condition.

    Args:
        confusion_matrix_cond: a `metrics_utils.ConfusionMatrix` member.
        thresholds: (Optional) a float or a list of floats in `[0, 1]`.
            Defaults to 0.5. One value is reported per threshold.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(
        self,
        confusion_matrix_cond: ConfusionMatrix,
        thresholds: Any = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._confusion_matrix_cond = confusion_matrix_cond
        self._set_thresholds(thresholds, 0.5)
        self.accumulator = self.add_variable(
            shape=(len(self.thresholds),),
            initializer="zeros",
            name="accumulator",
        )

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        """Accumulate the condition's count.

        Args:
            y_true: the ground truth values (cast to bool).
            y_pred: the predicted values, in `[0, 1]`.
            sample_weight: optional weights, of rank 0 or the rank of
                `y_true` and broadcastable to it.
        """
        self._update(
            {self._confusion_matrix_cond: self.accumulator},
            y_true,
            y_pred,
            sample_weight,
        )

    def result(self) -> torch.Tensor:
        # A copy: the caller must not see later updates.
        return self._one_or_all(self.accumulator).clone()

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


_COUNT_ARGS = """
    If `sample_weight` is given, the count is the sum of the weights.

    Args:
        thresholds: (Optional) a float or a list of floats in `[0, 1]`,
            defaults to 0.5. A prediction above a threshold is positive.
            With logits (no sigmoid), use `thresholds=0`. One value is
            reported per threshold.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
"""


class TruePositives(_ConfusionMatrixConditionCount):
    __doc__ = (
        "Calculates the number of true positives.\n"
        + _COUNT_ARGS
        + """
    Example:

    >>> import lamina
    >>> m = lamina.metrics.TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> float(m.result())
    2.0
    """
    )

    def __init__(
        self, thresholds: Any = None, name: str | None = None, dtype: Any = None
    ):
        super().__init__(
            ConfusionMatrix.TRUE_POSITIVES,
            thresholds=thresholds,
            name=name,
            dtype=dtype,
        )


class FalsePositives(_ConfusionMatrixConditionCount):
    __doc__ = (
        "Calculates the number of false positives.\n"
        + _COUNT_ARGS
        + """
    Example:

    >>> import lamina
    >>> m = lamina.metrics.FalsePositives()
    >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    >>> float(m.result())
    2.0
    """
    )

    def __init__(
        self, thresholds: Any = None, name: str | None = None, dtype: Any = None
    ):
        super().__init__(
            ConfusionMatrix.FALSE_POSITIVES,
            thresholds=thresholds,
            name=name,
            dtype=dtype,
        )


class TrueNegatives(_ConfusionMatrixConditionCount):
    __doc__ = (
        "Calculates the number of true negatives.\n"
        + _COUNT_ARGS
        + """
    Example:

    >>> import lamina
    >>> m = lamina.metrics.TrueNegatives()
    >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """
    )

    def __init__(
        self, thresholds: Any = None, name: str | None = None, dtype: Any = None
    ):
        super().__init__(
            ConfusionMatrix.TRUE_NEGATIVES,
            thresholds=thresholds,
            name=name,
            dtype=dtype,
        )


class FalseNegatives(_ConfusionMatrixConditionCount):
    __doc__ = (
        "Calculates the number of false negatives.\n"
        + _COUNT_ARGS
        + """
    Example:

    >>> import lamina
    >>> m = lamina.metrics.FalseNegatives()
    >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
    >>> float(m.result())
    2.0
    """
    )

    def __init__(
        self, thresholds: Any = None, name: str | None = None, dtype: Any = None
    ):
        super().__init__(
            ConfusionMatrix.FALSE_NEGATIVES,
            thresholds=thresholds,
            name=name,
            dtype=dtype,
        )


class _PrecisionRecallBase(_ThresholdedMetric):
    """Precision and recall: true positives and one error count."""

    _other_name = ""
    _other_cond = ConfusionMatrix.FALSE_POSITIVES

    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else metrics_utils.NEG_INF
        self._set_thresholds(thresholds, default)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(
            shape=shape, initializer="zeros", name="true_positives"
        )
        setattr(
            self,
            self._other_name,
            self.add_variable(
                shape=shape, initializer="zeros", name=self._other_name
            ),
        )

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        """Accumulate true positives and the error count.

        Args:
            y_true: the ground truth, shaped as `y_pred` (cast to bool).
            y_pred: the predicted values, in `[0, 1]`.
            sample_weight: optional weights, of rank 0 or the rank of
                `y_true` and broadcastable to it.
        """
        variables = {
            ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
            self._other_cond: getattr(self, self._other_name),
        }
        self._update(
            variables,
            y_true,
            y_pred,
            sample_weight,
            top_k=self.top_k,
            class_id=self.class_id,
        )

    def result(self) -> torch.Tensor:
        errors = getattr(self, self._other_name)
        value = metrics_utils.divide_no_nan(
            self.true_positives, self.true_positives + errors
        )
        return self._one_or_all(value)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


_PR_ARGS = """
    Args:
        thresholds: (Optional) a float or a list of floats in `[0, 1]`.
            A prediction above a threshold is positive; with logits, use
            `thresholds=0`. One value is reported per threshold. Defaults
            to 0.5 unless `top_k` is set.
        top_k: (Optional) only the `top_k` highest predictions of each
            sample count as positive.
        class_id: (Optional) the class (in `[0, num_classes)`) to compute
            the binary metric for.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
"""


class Precision(_PrecisionRecallBase):
    __doc__ = (
        """Computes the precision of the predictions.

    `precision = true_positives / (true_positives + false_positives)`,
    accumulated over batches (0 while nothing was predicted positive).
    Use a `sample_weight` of 0 to mask values.
    """
        + _PR_ARGS
        + """
    Example:

    >>> import lamina
    >>> m = lamina.metrics.Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 5)
    0.66667
    """
    )

    _other_name = "false_positives"
    _other_cond = ConfusionMatrix.FALSE_POSITIVES


class Recall(_PrecisionRecallBase):
    __doc__ = (
        """Computes the recall of the predictions.

    `recall = true_positives / (true_positives + false_negatives)`,
    accumulated over batches (0 while there was no positive label).
    Use a `sample_weight` of 0 to mask values.
    """
        + _PR_ARGS
        + """
    Example:

    >>> import lamina
    >>> m = lamina.metrics.Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 5)
    0.66667
    """
    )

    _other_name = "false_negatives"
    _other_cond = ConfusionMatrix.FALSE_NEGATIVES
