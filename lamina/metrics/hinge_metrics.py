"""Hinge metrics: the running mean of the hinge, squared hinge and
categorical hinge losses."""

from __future__ import annotations

from typing import Any

import torch

from lamina.metrics import metrics_utils
from lamina.metrics.reduction_metrics import MeanMetricWrapper


def _to_signed_labels(y_true: torch.Tensor) -> torch.Tensor:
    # 0/1 labels become -1/1; any other labels are used as they are. The
    # choice is made on the device, without reading the labels back.
    is_binary = torch.logical_or(y_true == 0, y_true == 1).all()
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`; 0/1 labels are
    converted to -1/1."""
    y_true, y_pred = metrics_utils.prepare_pair("hinge", y_true, y_pred)
    y_true = _to_signed_labels(y_true)
    return torch.clamp(1.0 - y_true * y_pred, min=0.0).mean(-1)


def squared_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`; 0/1
    labels are converted to -1/1."""
    y_true, y_pred = metrics_utils.prepare_pair("squared_hinge", y_true, y_pred)
    y_true = _to_signed_labels(y_true)
    return torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)).mean(-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`maximum(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)` and
    `neg = max((1 - y_true) * y_pred)` over the last axis."""
    y_true, y_pred = metrics_utils.prepare_pair(
        "categorical_hinge", y_true, y_pred
    )
    pos = (y_true * y_pred).sum(-1)
    neg = ((1.0 - y_true) * y_pred).amax(-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


class Hinge(MeanMetricWrapper):
    """Computes the hinge metric between `y_true` and `y_pred`.

    `y_true` values are expected to be -1 or 1; binary (0 or 1) labels are
    converted to -1 or 1.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.Hinge()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 5)
    1.3
    """

    def __init__(self, name: str = "hinge", dtype: Any = None):
        super().__init__(fn=hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class SquaredHinge(MeanMetricWrapper):
    """Computes the squared hinge metric between `y_true` and `y_pred`.

    `y_true` values are expected to be -1 or 1; binary (0 or 1) labels are
    converted to -1 or 1.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.SquaredHinge()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 5)
    1.86
    """

    def __init__(self, name: str = "squared_hinge", dtype: Any = None):
        super().__init__(fn=squared_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class CategoricalHinge(MeanMetricWrapper):
    """Computes the categorical hinge metric between `y_true` and `y_pred`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.CategoricalHinge()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 5)
    1.4
    """

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None):
        super().__init__(fn=categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}
