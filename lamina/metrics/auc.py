"""`AUC`: the area under the ROC or precision-recall curve, approximated
by a Riemann sum over thresholds."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina import config
from lamina.metrics import metrics_utils
from lamina.metrics.confusion_metrics import _ThresholdedMetric
from lamina.metrics.metrics_utils import AUCCurve
from lamina.metrics.metrics_utils import AUCSummationMethod
from lamina.metrics.metrics_utils import ConfusionMatrix
from lamina.metrics.metrics_utils import divide_no_nan


class AUC(_ThresholdedMetric):
    """Approximates the AUC (area under the curve) of the ROC or PR curves.

    Predictions are counted into true/false positives/negatives at a set
    of thresholds; the area under the curve those points draw (recall
    against false positive rate for ROC, precision against recall for PR)
    is then a Riemann sum. More thresholds approximate the true AUC more
    closely; predictions should spread over `[0, 1]` for a good estimate.
    'minoring' and 'majoring' give lower and upper bounds.

    Args:
        num_thresholds: (Optional) the number of thresholds discretizing
            the curve, > 1. Defaults to 200.
        curve: (Optional) `'ROC'` (default), `'PR'` or `'PRGAIN'`.
        summation_method: (Optional) `'interpolation'` (default: the
            trapezoid rule for ROC, Davis & Goadrich's interpolation for
            PR), `'minoring'` or `'majoring'`.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        thresholds: (Optional) explicit thresholds in `[0, 1]`; then
            `num_thresholds` is ignored. `-epsilon` and `1 + epsilon` are
            added so that predictions of exactly 0 or 1 are counted.
        multi_label: whether each label of 2D data gets its own AUC (then
            averaged), instead of flattening the data into one label.
        num_labels: (Optional) the number of labels when `multi_label`;
            otherwise the state is created on the first `update_state`.
        label_weights: (Optional) non-negative per-label weights: of the
            label AUCs' average when `multi_label`, else of each label's
            predictions in the flattened counts.
        from_logits: whether `y_pred` holds logits (a sigmoid is applied).

    Example:

    >>> import lamina
    >>> m = lamina.metrics.AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.75
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds: Any = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Any = None,
        from_logits: bool = False,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.curve = (
            curve if isinstance(curve, AUCCurve) else (AUCCurve.from_str(curve))
        )
        self.summation_method = (
            summation_method
            if isinstance(summation_method, AUCSummationMethod)
            else AUCSummationMethod.from_str(summation_method)
        )
        self._init_thresholds(num_thresholds, thresholds)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (
            None
            if label_weights is None
            else (
                torch.as_tensor(
                    np.asarray(label_weights),
                    dtype=self._torch_dtype,
                    device=self.device,
                )
            )
        )
        self._from_logits = from_logits
        self._built = False
        if not multi_label and num_labels:
            raise ValueError(
                "Invalid value for argument `num_labels` of AUC: it is "
                "needed only when `multi_label` is True. Received: "
                f"num_labels={num_labels!r}, multi_label={multi_label!r}"
            )
        if not multi_label:
            self._build(None)
        elif num_labels:
            self._build((None, num_labels))

    def _init_thresholds(self, num_thresholds: int, thresholds: Any) -> None:
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(
                metrics_utils.parse_init_thresholds("AUC", thresholds)
            )
            self.num_thresholds = len(inner) + 2
            self._thresholds_distributed_evenly = (
                metrics_utils.is_evenly_distributed_thresholds(
                    np.array([0.0] + inner + [1.0])
                )
            )
        else:
            if not isinstance(num_thresholds, int) or num_thresholds <= 1:
                raise ValueError(
                    "Invalid value for argument `num_thresholds` of AUC: "
                    "expected an integer > 1. "
                    f"Received: num_thresholds={num_thresholds!r}"
                )
            self.num_thresholds = num_thresholds
            inner = [
                (i + 1) * 1.0 / (num_thresholds - 1)
                for i in range(num_thresholds - 2)
            ]
            self._thresholds_distributed_evenly = True
        # Endpoints just outside [0, 1] absorb floating point imprecision.
        eps = config.epsilon()
        self._thresholds = [0.0 - eps] + inner + [1.0 + eps]
        self._thresholds_tensor = torch.tensor(
            self._thresholds, dtype=self._torch_dtype, device=self.device
        )

    @property
    def thresholds(self) -> list:
        """The thresholds used for evaluating AUC."""
        return list(self._thresholds)

    def _build(self, shape: Any) -> None:
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    f"AUC '{self.name}' expects `y_pred` of rank 2 when "
                    f"`multi_label=True`. Received: y_pred.shape="
                    f"{tuple(shape)}"
                )
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        for name in (
            "true_positives",
            "false_positives",
            "true_negatives",
            "false_negatives",
        ):
            setattr(
                self,
                name,
                self.add_variable(
                    shape=variable_shape, initializer="zeros", name=name
                ),
            )
        self._built = True

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        """Accumulate the confusion-matrix counts of a batch.

        Args:
            y_true: the ground truth values (cast to bool).
            y_pred: the predicted probabilities (or logits).
            sample_weight: optional weights, of rank 0 or the rank of
                `y_true` and broadcastable to it.
        """
        y_pred = metrics_utils.to_tensor(y_pred, device=self.device)
        self._follow_device(y_pred)
        if not self._built:
            self._build(y_pred.shape)
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred)
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
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _average(self, terms: torch.Tensor) -> torch.Tensor:
        if not self.multi_label:
            return terms.sum()
        by_label = terms.sum(0)
        if self.label_weights is None:
            return by_label.mean()
        return divide_no_nan(
            (by_label * self.label_weights).sum(), self.label_weights.sum()
        )

    def interpolate_pr_auc(self) -> torch.Tensor:
        """The PR AUC, interpolated as in Davis & Goadrich 2006, section 4.

        Within each interval between thresholds, TP and the predicted
        positives P = TP + FP vary linearly, so precision = TP / P
        integrates in closed form:
        `slope * (dTP + intercept * log(P_B / P_A)) / total_positives`.
        https://www.biostat.wisc.edu/~page/rocpr.pdf
        """
        tp, fn = self.true_positives, self.false_negatives
        p = tp + self.false_positives
        dtp = tp[:-1] - tp[1:]
        dp = p[:-1] - p[1:]
        prec_slope = divide_no_nan(dtp, torch.clamp(dp, min=0))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = torch.where(
            torch.logical_and(p[:-1] > 0, p[1:] > 0),
            divide_no_nan(p[:-1], torch.clamp(p[1:], min=0)),
            torch.ones_like(p[1:]),
        )
        increments = divide_no_nan(
            prec_slope * (dtp + intercept * torch.log(safe_p_ratio)),
            torch.clamp(tp[1:] + fn[1:], min=0),
        )
        return self._average(increments)

    def _curve_points(self):
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == AUCCurve.ROC:
            return divide_no_nan(fp, fp + tn), recall
        if self.curve == AUCCurve.PR:
            return recall, divide_no_nan(tp, tp + fp)
        # PR-gain: recall gain is 0 and precision gain 1 where there is no
        # true positive, and the recall gain is kept >= 0.
        scale = divide_no_nan(tp + fn, tn + fp)
        recall_gain = 1.0 - scale * divide_no_nan(fn, tp)
        precision_gain = 1.0 - scale * divide_no_nan(fp, tp)
        recall_gain = torch.where(tp == 0, 0.0, recall_gain)
        precision_gain = torch.where(tp == 0, 1.0, precision_gain)
        return torch.clamp(recall_gain, min=0.0), precision_gain

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self._torch_dtype, device=self.device)
        if (
            self.curve == AUCCurve.PR
            and self.summation_method == AUCSummationMethod.INTERPOLATION
        ):
            return self.interpolate_pr_auc()
        x, y = self._curve_points()
        if self.summation_method == AUCSummationMethod.INTERPOLATION:
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == AUCSummationMethod.MINORING:
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def reset_state(self) -> None:
        if self._built:
            super().reset_state()

    @classmethod
    def from_config(cls, config: dict) -> AUC:
        config = dict(config)
        weights = config.get("label_weights")
        # Saved label weights are a serialized tensor (Keras can't read
        # its own back; we can).
        if isinstance(weights, dict) and "config" in weights:
            config["label_weights"] = weights["config"]["value"]
        return cls(**config)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve.value,
            "summation_method": self.summation_method.value,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self.label_weights,
            "from_logits": self._from_logits,
        }
        # Explicit thresholds are saved without the added endpoints, so
        # that a metric built from this config has the same thresholds.
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
