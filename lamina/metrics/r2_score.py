"""`R2Score`: the coefficient of determination, optionally adjusted."""

from __future__ import annotations

from typing import Any

import torch

from lamina.metrics import metrics_utils
from lamina.metrics.metric import Metric

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """Computes the R2 score (coefficient of determination).

    ```python
    sum_squares_residuals = sum((y_true - y_pred) ** 2)
    sum_squares = sum((y_true - mean(y_true)) ** 2)
    R2 = 1 - sum_squares_residuals / sum_squares
    ```

    1.0 means the predictions explain all the variation of the target, 0.0
    none of it; it is negative for a model worse than the mean. With
    `num_regressors > 0` it is the "adjusted R2"
    `1 - (1 - R2) * (n - 1) / (n - p - 1)`, which falls back to the plain
    score while `n - 1 <= p`.

    Inputs are 2D, `(batch_size, output_dim)`; the state (per output
    column) is created on the first `update_state`.

    Args:
        class_aggregation: how to combine the per-column scores: `None`
            (return them all), `"uniform_average"` (default) or
            `"variance_weighted_average"`.
        num_regressors: the number of independent regressors of the
            adjusted score; 0 (default) is the standard R2 score.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.R2Score()
    >>> m.update_state([[1], [4], [3]], [[2], [4], [4]])
    >>> round(float(m.result()), 5)
    0.57143
    """

    def __init__(
        self,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(
                "Invalid value for argument `class_aggregation` of R2Score: "
                f"expected one of {_AGGREGATIONS}. "
                f"Received: class_aggregation={class_aggregation!r}"
            )
        if not isinstance(num_regressors, int) or num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors` of R2Score: "
                "expected an integer >= 0. "
                f"Received: num_regressors={num_regressors!r}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(
            shape=(), initializer="zeros", name="num_samples"
        )
        self._built = False

    def _check_shapes(self, y_true, y_pred) -> None:
        if y_pred.ndim != 2 or y_true.ndim != 2:
            raise ValueError(
                f"R2Score '{self.name}' expects 2D inputs with shape "
                "(batch_size, output_dim). Received: "
                f"y_true.shape={tuple(y_true.shape)}, "
                f"y_pred.shape={tuple(y_pred.shape)}"
            )
        metrics_utils.check_same_shape(f"R2Score '{self.name}'", y_true, y_pred)
        if self._built and y_pred.shape[-1] != self.sum.shape[0]:
            raise ValueError(
                f"R2Score '{self.name}' was built for "
                f"output_dim={self.sum.shape[0]}. Received: "
                f"y_pred.shape={tuple(y_pred.shape)}"
            )

    def _build(self, y_pred_shape) -> None:
        num_classes = y_pred_shape[-1]
        self.squared_sum = self.add_variable(
            shape=(num_classes,), initializer="zeros", name="squared_sum"
        )
        self.sum = self.add_variable(
            shape=(num_classes,), initializer="zeros", name="sum"
        )
        self.total_mse = self.add_variable(
            shape=(num_classes,), initializer="zeros", name="residual"
        )
        self.count = self.add_variable(
            shape=(num_classes,), initializer="zeros", name="count"
        )
        self._built = True

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        y_pred = metrics_utils.to_tensor(y_pred, self._torch_dtype, self.device)
        self._follow_device(y_pred)
        y_true = metrics_utils.to_tensor(
            y_true, self._torch_dtype, y_pred.device
        )
        y_true, y_pred = metrics_utils.squeeze_or_expand_to_same_rank(
            y_true, y_pred
        )
        self._check_shapes(y_true, y_pred)
        if not self._built:
            self._build(y_pred.shape)
        if sample_weight is None:
            sample_weight = torch.ones(
                (), dtype=self._torch_dtype, device=y_pred.device
            )
        sample_weight = metrics_utils.to_tensor(
            sample_weight, self._torch_dtype, y_pred.device
        )
        if sample_weight.ndim == 1:
            sample_weight = sample_weight.unsqueeze(1)
        sample_weight = torch.broadcast_to(sample_weight, y_true.shape)
        weighted_y_true = y_true * sample_weight
        self.sum.add_(weighted_y_true.sum(0))
        self.squared_sum.add_((y_true * weighted_y_true).sum(0))
        self.total_mse.add_(
            (torch.square(y_true - y_pred) * sample_weight).sum(0)
        )
        self.count.add_(sample_weight.sum(0))
        self.num_samples.add_(y_true.numel())

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self._torch_dtype, device=self.device)
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw_scores = 1 - self.total_mse / total
        raw_scores = torch.where(torch.isinf(raw_scores), 0.0, raw_scores)
        if self.class_aggregation == "uniform_average":
            r2_score = raw_scores.mean()
        elif self.class_aggregation == "variance_weighted_average":
            r2_score = (total * raw_scores).sum() / total.sum()
        else:
            r2_score = raw_scores
        if self.num_regressors == 0:
            return r2_score
        # Chosen on the device (no host read): the adjusted score needs
        # more samples than regressors + 1, else the plain score stands.
        n = self.num_samples
        p = float(self.num_regressors)
        adjusted = 1.0 - (1.0 - r2_score) * (n - 1.0) / (n - p - 1.0)
        return torch.where(n - 1.0 > p, adjusted, r2_score)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
