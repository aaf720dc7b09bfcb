"""Order statistics and spreads: `amax`, `amin`, `ptp`, `average`,
`median`, `quantile`, `percentile`.

Quantiles reduce over one or several axes by moving them to the end and
flattening them, then use `torch.quantile`. They compute in
`result_type(x, float32)` and return `result_type(x, float)`, as Keras
does on torch.
"""

from __future__ import annotations

from typing import Any

import math
from collections.abc import Callable

import torch

from lamina import config
from lamina.ops._convert import as_dtype, canonicalize_axes, to_tensor
from lamina.ops._dtypes import result_type, to_torch_dtype
from lamina.ops._op import op
from lamina.ops.numpy_reduce import max as _max
from lamina.ops.numpy_reduce import min as _min
from lamina.typing import TensorLike

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


@op
def amax(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Maximum of a tensor or along the given axes (alias of `max`).

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The maximum, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.amax([[1, 5], [3, 2]], axis=0).tolist()
    [3, 5]
    """
    return _max(x, axis=axis, keepdims=keepdims)


@op
def amin(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Minimum of a tensor or along the given axes (alias of `min`).

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The minimum, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.amin([[1, 5], [3, 2]], axis=0).tolist()
    [1, 2]
    """
    return _min(x, axis=axis, keepdims=keepdims)


@op
def ptp(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Range of values (`max - min`) along the given axes.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The peak-to-peak range, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.ptp([[1, 5], [3, 2]], axis=1).tolist()
    [4, 1]
    """
    x = to_tensor(x)
    if isinstance(axis, (tuple, list)) and len(axis) == 0:
        return torch.zeros_like(x)
    return _max(x, axis, keepdims) - _min(x, axis, keepdims)


@op
def average(
    x: TensorLike, axis: int | None = None, weights: TensorLike | None = None
) -> torch.Tensor:
    """Weighted average along an axis.

    Args:
        x: Input tensor.
        axis: The axis to average over; `None` averages everything.
        weights: Optional weights, of `x`'s shape or 1-D along `axis`.

    Returns:
        The average, in `result_type(x, weights, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.average([1.0, 2.0, 3.0], weights=[3.0, 1.0, 0.0]).item()
    1.25
    """
    x = to_tensor(x)
    kinds = [x.dtype, float]
    if weights is not None:
        weights = to_tensor(weights, device=x.device)
        kinds.append(weights.dtype)
    dtype = to_torch_dtype(result_type(*kinds))
    x = as_dtype(x, dtype)
    if isinstance(axis, (tuple, list)) and len(axis) == 0:
        return x
    if weights is None:
        return torch.mean(x, dim=axis)
    weights = as_dtype(weights, dtype)
    if weights.ndim == 1 and x.ndim > 1 and axis is not None:
        # NumPy's 1-D weights along `axis`.
        (axis,) = canonicalize_axes("average", axis, x.ndim)
        weights = weights.reshape(
            [-1 if i == axis else 1 for i in range(x.ndim)]
        )
    weights = torch.broadcast_to(weights, x.shape)
    return torch.sum(x * weights, dim=axis) / torch.sum(weights, dim=axis)


def _flatten_axes(name: str, x: torch.Tensor, axis) -> tuple:
    """`x` with the reduced axes moved last and merged, and those axes."""
    if axis is None:
        return x.reshape(-1), None
    axes = canonicalize_axes(name, axis, x.ndim)
    others = [i for i in range(x.ndim) if i not in axes]
    moved = x.permute(others + sorted(axes))
    merged = math.prod(x.shape[a] for a in axes)
    return moved.reshape([x.shape[i] for i in others] + [merged]), axes


def quantile_along(
    name: str,
    torch_fn: Callable,
    x: Any,
    q: Any,
    axis: Any,
    method: Any,
    keepdims: Any,
) -> torch.Tensor:
    """Shared body of `quantile` and `nanquantile`."""
    if method not in _METHODS:
        raise ValueError(
            f"Invalid value for argument `method` of ops.{name}: expected "
            f"one of {_METHODS}. Received: method={method!r}"
        )
    x = to_tensor(x)
    q = to_tensor(q, device=x.device)
    compute = to_torch_dtype(result_type(x.dtype, "float32"))
    out_dtype = to_torch_dtype(result_type(x.dtype, float))
    x = as_dtype(x, compute)
    y, axes = _flatten_axes(name, x, axis)
    y = torch_fn(y, as_dtype(q, compute), dim=-1, interpolation=method)
    if keepdims:
        offset = 1 if q.ndim > 0 else 0
        kept = range(x.ndim) if axes is None else sorted(axes)
        for i in kept:
            y = y.unsqueeze(-1 if axes is None else i + offset)
    return as_dtype(y, out_dtype)


@op
def quantile(
    x: TensorLike,
    q: TensorLike,
    axis: int | tuple | None = None,
    method: str = "linear",
    keepdims: bool = False,
) -> torch.Tensor:
    """The `q`-th quantiles of `x` along the given axes.

    Args:
        x: Input tensor.
        q: Quantile(s) in `[0, 1]`, a scalar or 1-D.
        axis: Axis or axes to reduce; `None` reduces all.
        method: `"linear"`, `"lower"`, `"higher"`, `"midpoint"` or
            `"nearest"`.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The quantiles; a 1-D `q` adds a leading axis.

    Example:

    >>> from lamina import ops
    >>> ops.quantile([1.0, 2.0, 3.0, 4.0], 0.5).item()
    2.5
    """
    return quantile_along(
        "quantile", torch.quantile, x, q, axis, method, keepdims
    )


@op
def percentile(
    x: TensorLike,
    q: TensorLike,
    axis: int | tuple | None = None,
    method: str = "linear",
    keepdims: bool = False,
) -> torch.Tensor:
    """The `q`-th percentiles of `x` along the given axes.

    Args:
        x: Input tensor.
        q: Percentile(s) in `[0, 100]`, a scalar or 1-D.
        axis: Axis or axes to reduce; `None` reduces all.
        method: As in `quantile`.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The percentiles; a 1-D `q` adds a leading axis.

    Example:

    >>> from lamina import ops
    >>> ops.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 25).item()
    2.0
    """
    x = to_tensor(x)
    q = to_tensor(q, dtype=config.floatx(), device=x.device) / 100.0
    return quantile_along(
        "percentile", torch.quantile, x, q, axis, method, keepdims
    )


@op
def median(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Median along the given axes (the mean of the two middle values for
    even counts, as in NumPy).

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The median, in `result_type(x, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.median([[1, 4], [2, 8]], axis=1).tolist()
    [2.5, 5.0]
    """
    return quantile_along(
        "median", torch.quantile, x, 0.5, axis, "linear", keepdims
    )
