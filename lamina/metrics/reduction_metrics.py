"""Metrics that reduce values over batches: `Sum`, `Mean`, and
`MeanMetricWrapper`, the mean of any per-sample function."""

from __future__ import annotations

from typing import Any, Callable

import torch

from lamina.metrics import metrics_utils
from lamina.metrics.metric import Metric
from lamina.saving import serialization


def _reduce(
    reduce_fn: Callable, x: torch.Tensor, start: int, stop: int
) -> torch.Tensor:
    return reduce_fn(x, dim=tuple(range(start, stop)))


def reduce_to_samplewise_values(
    values: torch.Tensor,
    sample_weight: Any,
    reduce_fn: Callable,
    dtype: torch.dtype,
) -> Any:
    """Weight `values` and reduce them to one value per sample.

    `sample_weight` is matched to `values` as Keras does: a trailing axis
    of size 1 is squeezed or added, `values` are reduced (with `reduce_fn`)
    down to the weights' rank, then the weights are broadcast.

    Returns:
        `(values, sample_weight)`, values of rank <= 1 and the broadcast
        weights reduced to one per sample (or None).
    """
    mask = metrics_utils.get_mask(values)
    values = values.to(dtype)
    if sample_weight is not None:
        sample_weight = metrics_utils.to_tensor(
            sample_weight, dtype, values.device
        )
        if mask is not None:
            sample_weight = metrics_utils.apply_mask(
                sample_weight, mask, dtype, reduction="sum", owner="Metric"
            )
        values, sample_weight = metrics_utils.squeeze_or_expand_to_same_rank(
            values, sample_weight
        )
        weight_ndim = sample_weight.ndim
        if values.ndim > weight_ndim:
            values = _reduce(reduce_fn, values, weight_ndim, values.ndim)
        # Broadcasting the weights changes the weight total counted below.
        try:
            sample_weight = torch.broadcast_to(sample_weight, values.shape)
        except RuntimeError:
            raise ValueError(
                "`sample_weight` does not broadcast to the per-sample "
                "values. Received: sample_weight.shape="
                f"{tuple(sample_weight.shape)}, values.shape="
                f"{tuple(values.shape)}"
            ) from None
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = _reduce(reduce_fn, sample_weight, 1, weight_ndim)
    if values.ndim > 1:
        values = _reduce(reduce_fn, values, 1, values.ndim)
    return values, sample_weight


class Sum(Metric):
    """Compute the (weighted) sum of the given values.

    For example, if `values` is `[1, 3, 5, 7]` then their sum is 16. With
    `sample_weight=[1, 1, 0, 0]` the sum is 4.

    This metric creates one variable, `total`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.Sum()
    >>> m.update_state([1, 3, 5, 7])
    >>> float(m.result())
    16.0
    >>> m.reset_state()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    4.0
    """

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = metrics_utils.to_tensor(values, device=self.device)
        self._follow_device(values)
        try:
            values, _ = reduce_to_samplewise_values(
                values, sample_weight, torch.sum, self._torch_dtype
            )
        except ValueError as e:
            raise ValueError(f"{type(self).__name__} '{self.name}': {e}") from e
        self.total.add_(values.sum())

    def result(self) -> torch.Tensor:
        return self.total.to(self._torch_dtype, copy=True)


class Mean(Metric):
    """Compute the (weighted) mean of the given values.

    For example, if `values` is `[1, 3, 5, 7]` then the mean is 4. With
    `sample_weight=[1, 1, 0, 0]` the mean is 2.

    This metric creates two variables, `total` and `count`; the result is
    `total / count` (0 while `count` is 0).

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> import lamina
    >>> m = lamina.metrics.Mean()
    >>> m.update_state([1, 3, 5, 7])
    >>> float(m.result())
    4.0
    >>> m.reset_state()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        if (
            type(sample_weight) is int
            and isinstance(values, torch.Tensor)
            and values.dim() == 0
            and values.dtype == torch.float32 == self._torch_dtype
            and values.device == self._device
            and getattr(values, "_keras_mask", None) is None
        ):
            # The loss tracker's call each step (a float32 scalar weighted
            # by the batch size): the general path's arithmetic, without
            # making the weight a tensor and broadcasting it.
            self.total.add_(values * sample_weight)
            self.count.add_(sample_weight)
            return
        values = metrics_utils.to_tensor(values, device=self.device)
        self._follow_device(values)
        self._accumulate(values, sample_weight)

    def _accumulate(self, values: torch.Tensor, sample_weight: Any) -> None:
        try:
            values, sample_weight = reduce_to_samplewise_values(
                values, sample_weight, torch.mean, self._torch_dtype
            )
        except ValueError as e:
            raise ValueError(f"{type(self).__name__} '{self.name}': {e}") from e
        self.total.add_(values.sum())
        if sample_weight is not None:
            self.count.add_(sample_weight.sum())
        else:
            self.count.add_(values.shape[0] if values.ndim >= 1 else 1)

    def result(self) -> torch.Tensor:
        return metrics_utils.divide_no_nan(self.total, self.count)


class MeanMetricWrapper(Mean):
    """Wrap a stateless metric function with the `Mean` metric.

    `fn(y_true, y_pred, **kwargs)` returns one value per sample (or per
    element); `result()` is their (weighted) mean over every batch seen.
    A Keras mask on `y_pred` is folded into the sample weights.

    Args:
        fn: the metric function to wrap.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        **kwargs: keyword arguments passed on to `fn`.

    Example:

    >>> import torch
    >>> import lamina
    >>> def squared_error(y_true, y_pred):
    ...     return (y_true - y_pred) ** 2
    >>> m = lamina.metrics.MeanMetricWrapper(fn=squared_error)
    >>> m.update_state(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))
    >>> float(m.result())
    2.0
    """

    def __init__(
        self,
        fn: Callable,
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__(name=name, dtype=dtype)
        if not callable(fn):
            raise ValueError(
                "Invalid value for argument `fn` of MeanMetricWrapper: "
                f"expected a callable. Received: fn={fn!r}"
            )
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        y_pred = metrics_utils.to_tensor(y_pred, device=self.device)
        self._follow_device(y_pred)
        mask = metrics_utils.get_mask(y_pred)
        try:
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
        except ValueError as e:
            # Name the metric: the function only knows its own name.
            raise ValueError(f"{type(self).__name__} '{self.name}': {e}") from e
        values = metrics_utils.to_tensor(values, device=self.device)
        if mask is not None:
            if sample_weight is not None:
                sample_weight = metrics_utils.to_tensor(
                    sample_weight, self._torch_dtype, y_pred.device
                )
            sample_weight = metrics_utils.apply_mask(
                sample_weight,
                mask,
                self._torch_dtype,
                reduction="sum",
                name=self.name,
                owner=type(self).__name__,
            )
        self._accumulate(values, sample_weight)

    def get_config(self) -> dict:
        config = {"fn": serialization.serialize_keras_object(self._fn)}
        config.update(serialization.serialize_keras_object(self._fn_kwargs))
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict) -> MeanMetricWrapper:
        config = dict(config)
        if "fn" in config:
            config["fn"] = _deserialize_fn(config["fn"])
        return cls(**config)


def _deserialize_fn(fn: Any) -> Callable:
    """Resolve a serialized metric function, lamina's own ones first."""
    if callable(fn):
        return fn
    name = fn.get("config") if isinstance(fn, dict) else fn
    from lamina import metrics  # The package's table of functions.

    if isinstance(name, str) and name in metrics.ALL_FUNCTIONS_DICT:
        return metrics.ALL_FUNCTIONS_DICT[name]
    return serialization.deserialize_keras_object(fn)
