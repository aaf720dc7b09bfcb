"""Regression metrics: the running mean of per-sample errors (MSE, MAE,
MAPE, MSLE, log-cosh, cosine similarity) and `RootMeanSquaredError`, plus
the public per-sample functions (and `huber`). `R2Score` lives in
`r2_score.py`."""

from __future__ import annotations

import functools
import math
from typing import Any

import torch

from lamina import config
from lamina.metrics import metrics_utils
from lamina.metrics.reduction_metrics import Mean
from lamina.metrics.reduction_metrics import MeanMetricWrapper


# Keras's regression formulas broadcast `y_true - y_pred`.
_prepare_pair = functools.partial(metrics_utils.prepare_pair, broadcast=True)


def mean_squared_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`mean(square(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _prepare_pair("mean_squared_error", y_true, y_pred)
    return torch.square(y_true - y_pred).mean(-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _prepare_pair("mean_absolute_error", y_true, y_pred)
    return torch.abs(y_true - y_pred).mean(-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), eps)), -1)`."""
    y_true, y_pred = _prepare_pair(
        "mean_absolute_percentage_error", y_true, y_pred
    )
    denominator = torch.clamp(torch.abs(y_true), min=config.epsilon())
    return 100.0 * torch.abs((y_true - y_pred) / denominator).mean(-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)))`
    over the last axis."""
    y_true, y_pred = _prepare_pair(
        "mean_squared_logarithmic_error", y_true, y_pred
    )
    eps = config.epsilon()
    first = torch.log(torch.clamp(y_pred, min=eps) + 1.0)
    second = torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.square(first - second).mean(-1)


def log_cosh(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed stably."""
    y_true, y_pred = _prepare_pair("log_cosh", y_true, y_pred)
    x = y_pred - y_true
    # log(cosh(x)) = x + softplus(-2x) - log(2) never overflows.
    return (x + torch.nn.functional.softplus(-2.0 * x) - math.log(2.0)).mean(-1)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> torch.Tensor:
    """The Huber loss, averaged over the last axis: `0.5 * x ** 2` where
    `|x| <= delta`, else `delta * |x| - 0.5 * delta ** 2` (`x` the error).
    """
    y_true, y_pred = _prepare_pair("huber", y_true, y_pred)
    error = y_pred - y_true
    abs_error = torch.abs(error)
    return torch.where(
        abs_error <= delta,
        0.5 * torch.square(error),
        delta * abs_error - 0.5 * delta**2,
    ).mean(-1)


def _l2_normalize(x: torch.Tensor, axis: int) -> torch.Tensor:
    square_sum = torch.square(x).sum(axis, keepdim=True)
    inv_norm = torch.clamp(torch.rsqrt(square_sum), max=1.0 / config.epsilon())
    return x * inv_norm


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    """`sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`."""
    y_true, y_pred = _prepare_pair("cosine_similarity", y_true, y_pred)
    return (_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis)).sum(axis)


class MeanSquaredError(MeanMetricWrapper):
    """Computes the mean squared error between `y_true` and `y_pred`.

    `loss = mean(square(y_true - y_pred))`

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.MeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.25
    """

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(fn=mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
    """Computes the mean absolute error between `y_true` and `y_pred`.

    `loss = mean(abs(y_true - y_pred))`

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.MeanAbsoluteError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.25
    """

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(fn=mean_absolute_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Computes the mean absolute percentage error.

    `loss = 100 * mean(abs((y_true - y_pred) / y_true))`, dividing by
    `max(abs(y_true), epsilon)`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.MeanAbsolutePercentageError()
    >>> m.update_state([[1.0, 2.0]], [[1.5, 2.0]])
    >>> float(m.result())
    25.0
    """

    def __init__(
        self, name: str = "mean_absolute_percentage_error", dtype: Any = None
    ):
        super().__init__(
            fn=mean_absolute_percentage_error, name=name, dtype=dtype
        )
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Computes the mean squared logarithmic error.

    `loss = mean(square(log(y_true + 1) - log(y_pred + 1)))`, with values
    below `epsilon` replaced by `epsilon`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.MeanSquaredLogarithmicError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> round(float(m.result()), 5)
    0.12011
    """

    def __init__(
        self, name: str = "mean_squared_logarithmic_error", dtype: Any = None
    ):
        super().__init__(
            fn=mean_squared_logarithmic_error, name=name, dtype=dtype
        )
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class LogCoshError(MeanMetricWrapper):
    """Computes the logarithm of the hyperbolic cosine of the error.

    `logcosh = mean(log((exp(error) + exp(-error)) / 2), axis=-1)` with
    `error = y_pred - y_true`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.LogCoshError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> round(float(m.result()), 5)
    0.10845
    """

    def __init__(self, name: str = "logcosh", dtype: Any = None):
        super().__init__(fn=log_cosh, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class CosineSimilarity(MeanMetricWrapper):
    """Computes the cosine similarity between the labels and predictions.

    `cosine_similarity = sum(l2_norm(y_true) * l2_norm(y_pred), axis)`

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        axis: (Optional) the axis of the vectors. Defaults to `-1`.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.CosineSimilarity(axis=1)
    >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    >>> round(float(m.result()), 5)
    0.5
    """

    def __init__(
        self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1
    ):
        super().__init__(cosine_similarity, name, dtype=dtype, axis=axis)
        self._direction = "up"

    def get_config(self) -> dict:
        # Keras leaves `axis` out of the config; so do we, for parity.
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """Computes the root mean squared error between `y_true` and `y_pred`.

    `loss = sqrt(mean((y_pred - y_true) ** 2))`, the square root of the
    weighted mean over every element seen.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(
        self, name: str = "root_mean_squared_error", dtype: Any = None
    ):
        super().__init__(name, dtype=dtype)
        self._direction = "down"

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        y_pred = metrics_utils.to_tensor(y_pred, self._torch_dtype, self.device)
        try:
            y_true, y_pred = _prepare_pair(type(self).__name__, y_true, y_pred)
        except ValueError as e:
            raise ValueError(f"Metric '{self.name}': {e}") from e
        super().update_state(
            torch.square(y_pred - y_true), sample_weight=sample_weight
        )

    def result(self) -> torch.Tensor:
        return torch.sqrt(super().result())
