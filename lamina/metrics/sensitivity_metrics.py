"""One rate at a constraint on another: `SensitivityAtSpecificity`,
`SpecificityAtSensitivity`, `PrecisionAtRecall`, `RecallAtPrecision`.

Each accumulates the four confusion-matrix counts at `num_thresholds`
evenly spaced thresholds and reports the best value of one rate over the
thresholds where the other rate meets the constraint.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.metrics.confusion_metrics import _ThresholdedMetric
from lamina.metrics.metrics_utils import ConfusionMatrix
from lamina.metrics.metrics_utils import divide_no_nan


def _check_rate(owner: str, arg: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(
            f"Invalid value for argument `{arg}` of {owner}: expected a "
            f"value in the range [0, 1]. Received: {arg}={value!r}"
        )


class SensitivitySpecificityBase(_ThresholdedMetric):
    """The four confusion-matrix counts at evenly spaced thresholds.

    Args:
        value: the constraint the reported rate is subject to.
        num_thresholds: (Optional) the number of thresholds, > 0.
        class_id: (Optional) the class to compute the binary metric for.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(
        self,
        value: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if not isinstance(num_thresholds, int) or num_thresholds <= 0:
            raise ValueError(
                "Invalid value for argument `num_thresholds` of "
                f"{type(self).__name__}: expected an integer > 0. "
                f"Received: num_thresholds={num_thresholds!r}"
            )
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            thresholds = [0.5]
        else:
            thresholds = (
                [0.0]
                + [
                    (i + 1) * 1.0 / (num_thresholds - 1)
                    for i in range(num_thresholds - 2)
                ]
                + [1.0]
            )
        self._set_thresholds(thresholds, 0.5)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(
            shape=shape, initializer="zeros", name="true_positives"
        )
        self.false_positives = self.add_variable(
            shape=shape, initializer="zeros", name="false_positives"
        )
        self.true_negatives = self.add_variable(
            shape=shape, initializer="zeros", name="true_negatives"
        )
        self.false_negatives = self.add_variable(
            shape=shape, initializer="zeros", name="false_negatives"
        )

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        """Accumulate the confusion-matrix counts of a batch."""
        self._update(
            {
                ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
                ConfusionMatrix.TRUE_NEGATIVES: self.true_negatives,
                ConfusionMatrix.FALSE_POSITIVES: self.false_positives,
                ConfusionMatrix.FALSE_NEGATIVES: self.false_negatives,
            },
            y_true,
            y_pred,
            sample_weight,
            class_id=self.class_id,
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "class_id": self.class_id}

    def _sensitivities(self) -> torch.Tensor:
        return divide_no_nan(
            self.true_positives, self.true_positives + self.false_negatives
        )

    def _specificities(self) -> torch.Tensor:
        return divide_no_nan(
            self.true_negatives, self.true_negatives + self.false_positives
        )

    def _precisions(self) -> torch.Tensor:
        return divide_no_nan(
            self.true_positives, self.true_positives + self.false_positives
        )

    def _find_max_under_constraint(
        self, constrained: torch.Tensor, dependent: torch.Tensor
    ) -> torch.Tensor:
        """The largest `dependent` value where `constrained >= value`
        (0 when no threshold satisfies the constraint)."""
        feasible = constrained >= self.value
        return torch.clamp(
            torch.where(feasible, dependent, 0.0).amax(), min=0.0
        )


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """Computes the best sensitivity where specificity is >= a value.

    Sensitivity is `tp / (tp + fn)`, specificity `tn / (tn + fp)`.

    Args:
        specificity: a value in `[0, 1]`.
        num_thresholds: (Optional) the number of thresholds used to match
            the specificity. Defaults to 200.
        class_id: (Optional) the class to compute the binary metric for.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """

    def __init__(
        self,
        specificity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_rate(type(self).__name__, "specificity", specificity)
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(
            specificity,
            num_thresholds=num_thresholds,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def result(self) -> torch.Tensor:
        return self._find_max_under_constraint(
            self._specificities(), self._sensitivities()
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "specificity": self.specificity,
        }


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """Computes the best specificity where sensitivity is >= a value.

    Sensitivity is `tp / (tp + fn)`, specificity `tn / (tn + fp)`.

    Args:
        sensitivity: a value in `[0, 1]`.
        num_thresholds: (Optional) the number of thresholds used to match
            the sensitivity. Defaults to 200.
        class_id: (Optional) the class to compute the binary metric for.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> round(float(m.result()), 5)
    0.66667
    """

    def __init__(
        self,
        sensitivity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_rate(type(self).__name__, "sensitivity", sensitivity)
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(
            sensitivity,
            num_thresholds=num_thresholds,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def result(self) -> torch.Tensor:
        return self._find_max_under_constraint(
            self._sensitivities(), self._specificities()
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "sensitivity": self.sensitivity,
        }


class PrecisionAtRecall(SensitivitySpecificityBase):
    """Computes the best precision where recall is >= a value.

    Args:
        recall: a value in `[0, 1]`.
        num_thresholds: (Optional) the number of thresholds used to match
            the recall. Defaults to 200.
        class_id: (Optional) the class to compute the binary metric for.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """

    def __init__(
        self,
        recall: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_rate(type(self).__name__, "recall", recall)
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(
            recall,
            num_thresholds=num_thresholds,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def result(self) -> torch.Tensor:
        return self._find_max_under_constraint(
            self._sensitivities(), self._precisions()
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "recall": self.recall,
        }


class RecallAtPrecision(SensitivitySpecificityBase):
    """Computes the best recall where precision is >= a value.

    When no threshold reaches the precision, the result is 0.

    Args:
        precision: a value in `[0, 1]`.
        num_thresholds: (Optional) the number of thresholds used to match
            the precision. Defaults to 200.
        class_id: (Optional) the class to compute the binary metric for.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.5
    """

    def __init__(
        self,
        precision: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_rate(type(self).__name__, "precision", precision)
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(
            precision,
            num_thresholds=num_thresholds,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def result(self) -> torch.Tensor:
        return self._find_max_under_constraint(
            self._precisions(), self._sensitivities()
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "precision": self.precision,
        }
