"""Correlation metrics: the running mean of the per-sample Pearson and
concordance correlation coefficients."""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.metrics import metrics_utils
from lamina.metrics.reduction_metrics import MeanMetricWrapper


def pearson_correlation(
    y_true: Any, y_pred: Any, axis: int = -1
) -> torch.Tensor:
    """The Pearson correlation coefficient of `y_true` and `y_pred` along
    `axis` (population standard deviations)."""
    y_true, y_pred = metrics_utils.prepare_pair(
        "pearson_correlation", y_true, y_pred
    )
    true_centered = y_true - y_true.mean(axis, keepdim=True)
    pred_centered = y_pred - y_pred.mean(axis, keepdim=True)
    true_centered = true_centered / true_centered.std(
        axis, keepdim=True, correction=0
    )
    pred_centered = pred_centered / pred_centered.std(
        axis, keepdim=True, correction=0
    )
    return (true_centered * pred_centered).mean(axis)


def concordance_correlation(
    y_true: Any, y_pred: Any, axis: int = -1
) -> torch.Tensor:
    """Lin's concordance correlation coefficient along `axis`.

    The covariance term is Keras's: `(y_true - mean(y_pred)) *
    (y_pred - mean(y_pred))`, kept so that the numbers match.
    """
    y_true, y_pred = metrics_utils.prepare_pair(
        "concordance_correlation", y_true, y_pred
    )
    true_mean = y_true.mean(axis, keepdim=True)
    pred_mean = y_pred.mean(axis, keepdim=True)
    true_var = (y_true - true_mean).var(axis, keepdim=True, correction=0)
    pred_var = (y_pred - pred_mean).var(axis, keepdim=True, correction=0)
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + torch.square(true_mean - pred_mean)
    return (2 * covariance / (norm + config.epsilon())).mean(axis)


class PearsonCorrelation(MeanMetricWrapper):
    """Computes the Pearson correlation coefficient.

    The correlation of `y_true` and `y_pred` along `axis`, averaged over
    the samples: in `[-1, 1]`, 1 for a perfect positive linear relation.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        axis: (Optional) the axis along which to correlate. Defaults to -1.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.PearsonCorrelation()
    >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]],
    ...                [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    >>> round(float(m.result()), 4)
    0.9967
    """

    def __init__(
        self,
        name: str = "pearson_correlation",
        dtype: Any = None,
        axis: int = -1,
    ):
        super().__init__(
            fn=pearson_correlation, name=name, dtype=dtype, axis=axis
        )
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """Computes the concordance correlation coefficient.

    Lin's coefficient measures how well `y_pred` agrees with `y_true`
    (correlation and equal means and scales), in `[-1, 1]`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        axis: (Optional) the axis along which to correlate. Defaults to -1.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.ConcordanceCorrelation()
    >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]],
    ...                [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    >>> round(float(m.result()), 4)
    0.9816
    """

    def __init__(
        self,
        name: str = "concordance_correlation",
        dtype: Any = None,
        axis: int = -1,
    ):
        super().__init__(
            fn=concordance_correlation, name=name, dtype=dtype, axis=axis
        )
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
