"""NaN-ignoring reductions: `nansum`, `nanprod`, `nanmean`, `nanvar`,
`nanstd`, `nanmax`, `nanmin`, `nanargmax`, `nanargmin` (the running and
order statistics are in `numpy_nan_order.py`).

Integer and bool inputs hold no NaN, so they take the plain reduction.
A slice that is all NaN gives NaN (`nanmax`, `nanmin`, `nanmean`) or -1
(`nanargmax`, `nanargmin`), as in Keras on torch.
"""

from __future__ import annotations

import torch

from lamina.ops._convert import as_dtype, to_tensor
from lamina.ops._dtypes import result_type, to_torch_dtype
from lamina.ops._op import op
from lamina.ops.numpy_reduce import argmax as _argmax
from lamina.ops.numpy_reduce import argmin as _argmin
from lamina.ops.numpy_reduce import max as _max
from lamina.ops.numpy_reduce import min as _min
from lamina.ops.numpy_reduce import prod as _prod
from lamina.ops.numpy_reduce import sum as _sum
from lamina.typing import TensorLike

_SMALL_INTS = (torch.bool, torch.uint8, torch.int8, torch.int16)


def _empty_axis(axis) -> bool:
    return isinstance(axis, (tuple, list)) and len(axis) == 0


def _dims(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _all_nan(x: torch.Tensor, axis, keepdims: bool) -> torch.Tensor:
    nan = torch.isnan(x)
    if axis is None:
        out = nan.all()
        return out.reshape((1,) * x.ndim) if keepdims else out
    return nan.all(dim=_dims(axis), keepdim=keepdims)


def _nan_extremum(reduce, fill: float, x, axis, keepdims) -> torch.Tensor:
    x = to_tensor(x)
    if not x.dtype.is_floating_point:
        return reduce(x, axis, keepdims)
    if _empty_axis(axis):
        return x
    out = reduce(torch.where(torch.isnan(x), fill, x), axis, keepdims)
    return torch.where(_all_nan(x, axis, keepdims), float("nan"), out)


@op
def nanmax(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Maximum ignoring NaNs (NaN where a slice is all NaN).

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The maximum, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.nanmax([1.0, float("nan"), 3.0]).item()
    3.0
    """
    return _nan_extremum(_max, float("-inf"), x, axis, keepdims)


@op
def nanmin(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Minimum ignoring NaNs (NaN where a slice is all NaN).

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The minimum, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.nanmin([1.0, float("nan"), 3.0]).item()
    1.0
    """
    return _nan_extremum(_min, float("inf"), x, axis, keepdims)


def _nan_arg(arg_fn, fill: float, x, axis, keepdims) -> torch.Tensor:
    x = to_tensor(x)
    if not x.dtype.is_floating_point:
        return arg_fn(x, axis, keepdims)
    out = arg_fn(torch.where(torch.isnan(x), fill, x), axis, keepdims)
    return torch.where(_all_nan(x, axis, keepdims), -1, out)


@op
def nanargmax(
    x: TensorLike, axis: int | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Indices of the maxima ignoring NaNs (-1 where a slice is all NaN).

    Args:
        x: Input tensor.
        axis: The axis; `None` indexes into the flattened tensor.
        keepdims: If `True`, the reduced axis is kept with size 1.

    Returns:
        `int32` indices.

    Example:

    >>> from lamina import ops
    >>> ops.nanargmax([float("nan"), 2.0, 1.0]).item()
    1
    """
    return _nan_arg(_argmax, float("-inf"), x, axis, keepdims)


@op
def nanargmin(
    x: TensorLike, axis: int | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Indices of the minima ignoring NaNs (-1 where a slice is all NaN).

    Args:
        x: Input tensor.
        axis: The axis; `None` indexes into the flattened tensor.
        keepdims: If `True`, the reduced axis is kept with size 1.

    Returns:
        `int32` indices.

    Example:

    >>> from lamina import ops
    >>> ops.nanargmin([float("nan"), 2.0, 1.0]).item()
    2
    """
    return _nan_arg(_argmin, float("inf"), x, axis, keepdims)


@op
def nansum(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Sum treating NaNs as zero.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The sum; small ints and bools give `int32`.

    Example:

    >>> from lamina import ops
    >>> ops.nansum([1.0, float("nan"), 3.0]).item()
    4.0
    """
    x = to_tensor(x)
    dtype = torch.int32 if x.dtype in _SMALL_INTS else x.dtype
    if x.dtype.is_floating_point:
        x = torch.nan_to_num(
            x, nan=0.0, posinf=float("inf"), neginf=float("-inf")
        )
    if _empty_axis(axis):
        return as_dtype(x, dtype)
    return as_dtype(_sum(x, axis, keepdims), dtype)


@op
def nanprod(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Product treating NaNs as one.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The product, in the dtype `prod` gives.

    Example:

    >>> from lamina import ops
    >>> ops.nanprod([2.0, float("nan"), 3.0]).item()
    6.0
    """
    x = to_tensor(x)
    if x.dtype.is_floating_point:
        x = torch.where(torch.isnan(x), 1.0, x).to(x.dtype)
    if _empty_axis(axis):
        return x
    return _prod(x, axis, keepdims)


@op
def nanmean(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Mean ignoring NaNs (NaN where a slice is all NaN).

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The mean, in `result_type(x, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.nanmean([1.0, float("nan"), 3.0]).item()
    2.0
    """
    x = to_tensor(x)
    if _empty_axis(axis):
        return x
    x = as_dtype(x, to_torch_dtype(result_type(x.dtype, float)))
    return torch.nanmean(x, dim=_dims(axis), keepdim=keepdims)


@op
def nanvar(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Variance ignoring NaNs.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The variance, in `result_type(x, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.nanvar([1.0, float("nan"), 3.0]).item()
    1.0
    """
    x = to_tensor(x)
    x = as_dtype(x, to_torch_dtype(result_type(x.dtype, float)))
    if _empty_axis(axis):
        return torch.where(torch.isnan(x), x, torch.zeros((), dtype=x.dtype))
    valid = ~torch.isnan(x)
    mean = torch.nanmean(x, dim=_dims(axis), keepdim=True)
    centered = torch.where(valid, x - mean, torch.zeros((), dtype=x.dtype))
    total = centered.square().sum(dim=_dims(axis), keepdim=keepdims)
    return total / valid.sum(dim=_dims(axis), keepdim=keepdims)


@op
def nanstd(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Standard deviation ignoring NaNs.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The standard deviation, in `result_type(x, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.nanstd([1.0, float("nan"), 3.0]).item()
    1.0
    """
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))
