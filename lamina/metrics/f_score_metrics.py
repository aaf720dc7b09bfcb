"""F-scores: `FBetaScore` and `F1Score`, for multi-class and multi-label
classification."""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.metrics import metrics_utils
from lamina.metrics.metric import Metric

_AVERAGES = (None, "micro", "macro", "weighted")


def _check_arguments(owner: str, average, beta, threshold) -> None:
    if average not in _AVERAGES:
        raise ValueError(
            f"Invalid value for argument `average` of {owner}: expected one "
            f"of {{None, 'micro', 'macro', 'weighted'}}. "
            f"Received: average={average!r}"
        )
    if not isinstance(beta, float) or beta <= 0.0:
        raise ValueError(
            f"Invalid value for argument `beta` of {owner}: expected a "
            f"Python float > 0. Received: beta={beta!r}"
        )
    if threshold is not None and (
        not isinstance(threshold, float) or not 0.0 < threshold <= 1.0
    ):
        raise ValueError(
            f"Invalid value for argument `threshold` of {owner}: expected a "
            f"Python float with 0 < threshold <= 1. "
            f"Received: threshold={threshold!r}"
        )


class FBetaScore(Metric):
    """Computes the F-Beta score.

    ```python
    b2 = beta ** 2
    f_beta_score = (1 + b2) * (precision * recall) / (precision * b2 + recall)
    ```

    The weighted harmonic mean of precision and recall, in `[0, 1]`.
    Inputs are 2D, `(batch_size, num_classes)`; the state is created on
    the first `update_state`.

    Args:
        average: how per-class results are combined: `None` (default;
            return the score of each class), `"micro"` (count the true
            positives, false negatives and false positives of all classes
            together), `"macro"` (unweighted mean of the class scores) or
            `"weighted"` (mean weighted by each class's true instances).
        beta: the weight of recall in the harmonic mean. Defaults to 1.
        threshold: predictions above it are 1, the rest 0. With `None`,
            the largest prediction of each row is 1 (if non-zero).
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.FBetaScore(beta=2.0, threshold=0.5)
    >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> [round(v, 4) for v in m.result().tolist()]
    [0.3846, 0.9091, 0.8333]
    """

    def __init__(
        self,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str = "fbeta_score",
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        _check_arguments(type(self).__name__, average, beta, threshold)
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _check_shapes(self, y_true, y_pred) -> None:
        if y_pred.ndim != 2 or y_true.ndim != 2:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects 2D inputs with "
                "shape (batch_size, output_dim). Received: "
                f"y_true.shape={tuple(y_true.shape)}, "
                f"y_pred.shape={tuple(y_pred.shape)}"
            )
        metrics_utils.check_same_shape(
            f"{type(self).__name__} '{self.name}'", y_true, y_pred
        )

    def _build(self, num_classes: int) -> None:
        shape = () if self.average == "micro" else (num_classes,)
        for name in (
            "true_positives",
            "false_positives",
            "false_negatives",
            "intermediate_weights",
        ):
            setattr(
                self,
                name,
                self.add_variable(
                    shape=shape,
                    initializer="zeros",
                    dtype=self.dtype,
                    name=name,
                ),
            )
        self._built = True

    def _binarize(self, y_pred: torch.Tensor) -> torch.Tensor:
        if self.threshold is None:
            best = y_pred.amax(-1, keepdim=True)
            # A row of zeros must not become a row of ones.
            hits = torch.logical_and(y_pred >= best, y_pred.abs() > 1e-9)
        else:
            hits = y_pred > self.threshold
        return hits.to(self._torch_dtype)

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        y_pred = metrics_utils.to_tensor(y_pred, self._torch_dtype, self.device)
        self._follow_device(y_pred)
        y_true = metrics_utils.to_tensor(
            y_true, self._torch_dtype, y_pred.device
        )
        self._check_shapes(y_true, y_pred)
        if not self._built:
            self._build(y_pred.shape[-1])
        y_pred = self._binarize(y_pred)
        if sample_weight is not None:
            sample_weight = metrics_utils.to_tensor(
                sample_weight, self._torch_dtype, y_pred.device
            )
            if sample_weight.ndim == 1:
                sample_weight = sample_weight.unsqueeze(1)

        def weighted_sum(values):
            if sample_weight is not None:
                values = values * sample_weight
            if self.axis is None:
                return values.sum()
            return values.sum(self.axis)

        self.true_positives.add_(weighted_sum(y_pred * y_true))
        self.false_positives.add_(weighted_sum(y_pred * (1 - y_true)))
        self.false_negatives.add_(weighted_sum((1 - y_pred) * y_true))
        self.intermediate_weights.add_(weighted_sum(y_true))

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self._torch_dtype, device=self.device)
        eps = config.epsilon()
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + eps)
        recall = tp / (tp + self.false_negatives + eps)
        b2 = self.beta**2
        score = (precision * recall) / (b2 * precision + recall + eps)
        score = score * (1 + b2)
        if self.average == "weighted":
            weights = self.intermediate_weights / (
                self.intermediate_weights.sum() + eps
            )
            return (score * weights).sum()
        if self.average is not None:
            return score.mean()
        return score

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """Computes the F-1 score: `2 * precision * recall / (precision +
    recall)`, the harmonic mean of precision and recall.

    Args:
        average: how per-class results are combined: `None` (default),
            `"micro"`, `"macro"` or `"weighted"` (see `FBetaScore`).
        threshold: predictions above it are 1, the rest 0. With `None`,
            the largest prediction of each row is 1 (if non-zero).
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.F1Score(threshold=0.5)
    >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> [round(v, 4) for v in m.result().tolist()]
    [0.5, 0.8, 0.6667]
    """

    def __init__(
        self,
        average: str | None = None,
        threshold: float | None = None,
        name: str = "f1_score",
        dtype: Any = None,
    ):
        super().__init__(
            average=average,
            beta=1.0,
            threshold=threshold,
            name=name,
            dtype=dtype,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config
