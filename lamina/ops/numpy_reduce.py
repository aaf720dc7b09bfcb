"""Reductions: sums, means, extrema, spreads, arg-extrema, truth tests.

Each takes `axis` (None for all axes, an int, or a tuple of ints) and
`keepdims`. Output dtypes follow Keras 3 on torch: `sum` of small ints
gives `int32`, `mean`/`var` of ints give `float32`, `argmax` gives `int32`.

Where Keras's torch backend ignores `keepdims=True` with `axis=None`
(`max`, `min`, `sum`, `prod`) or transposes `count_nonzero`'s result, we
follow NumPy instead, which is what Keras's symbolic shapes promise.
"""

from __future__ import annotations

import torch

from lamina.errors import format_value
from lamina.ops._convert import as_dtype
from lamina.ops._convert import canonicalize_axes
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike

_SMALL_INTS = (torch.bool, torch.uint8, torch.int8, torch.int16)


def _dims(axis):
    """Keras `axis` → torch `dim` (lists become tuples)."""
    return tuple(axis) if isinstance(axis, list) else axis


def _is_empty_axis(axis) -> bool:
    return isinstance(axis, (tuple, list)) and len(axis) == 0


def _compute_float(x: torch.Tensor) -> torch.dtype:
    """Float type to reduce in: float32 for ints, bools and half types."""
    if x.dtype in (torch.float64, torch.complex64, torch.complex128):
        return x.dtype
    return torch.float32


def _keep_all(result: torch.Tensor, ndim: int) -> torch.Tensor:
    return result.reshape((1,) * ndim)


@op
def sum(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Sum of tensor elements over the given axes.

    Args:
        x: Input tensor.
        axis: Axis or axes to sum over; `None` sums all elements.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The sum; `bool`/`int8`/`int16`/`uint8` inputs give `int32`.

    Example:

    >>> from lamina import ops
    >>> ops.sum([[1, 2], [3, 4]], axis=0).tolist()
    [4, 6]
    """
    x = to_tensor(x)
    if _is_empty_axis(axis):
        return x
    dtype = torch.int32 if x.dtype in _SMALL_INTS else x.dtype
    if axis is None:
        out = torch.sum(x, dtype=dtype)
        return _keep_all(out, x.ndim) if keepdims else out
    return as_dtype(torch.sum(x, dim=_dims(axis), keepdim=keepdims), dtype)


@op
def mean(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Arithmetic mean over the given axes.

    Args:
        x: Input tensor.
        axis: Axis or axes to average over; `None` averages everything.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The mean; integer and bool inputs give `float32`.

    Example:

    >>> from lamina import ops
    >>> ops.mean([1, 2, 3, 4]).item()
    2.5
    """
    x = to_tensor(x)
    if _is_empty_axis(axis):
        return x
    if x.dtype.is_floating_point or x.dtype.is_complex:
        out_dtype = x.dtype
    else:
        out_dtype = to_torch_dtype(result_type(x.dtype, "float32"))
    out = torch.mean(
        as_dtype(x, _compute_float(x)), dim=_dims(axis), keepdim=keepdims
    )
    return as_dtype(out, out_dtype)


def _reduce_extremum(name, torch_fn, combine, x, axis, keepdims, initial):
    x = to_tensor(x)
    axes = (
        tuple(range(x.ndim))
        if axis is None
        else canonicalize_axes(name, axis, x.ndim)
    )
    if x.numel() == 0 and any(x.shape[a] == 0 for a in axes if a < x.ndim):
        if initial is None:
            raise ValueError(
                f"`ops.{name}` cannot reduce an empty tensor without an "
                f"`initial` value. Received: x={format_value(x)}, "
                f"axis={axis}"
            )
        shape = [1 if a in axes else d for a, d in enumerate(x.shape)]
        if not keepdims:
            shape = [d for a, d in enumerate(x.shape) if a not in axes]
        return torch.full(shape, initial, dtype=x.dtype, device=x.device)
    if not axes:
        out = x
    else:
        out = torch_fn(x, dim=axes, keepdim=keepdims)
    if initial is not None:
        out = combine(out, torch.tensor(initial, dtype=out.dtype))
    return out


@op
def max(
    x: TensorLike,
    axis: int | tuple | None = None,
    keepdims: bool = False,
    initial: float | None = None,
) -> torch.Tensor:
    """Maximum of a tensor or maximum along the given axes.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.
        initial: The minimum value an output element can take; also the
            result of reducing an empty axis.

    Returns:
        The maximum, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.max([[1, 5], [3, 2]], axis=1).tolist()
    [5, 3]
    """
    return _reduce_extremum(
        "max", torch.amax, torch.maximum, x, axis, keepdims, initial
    )


@op
def min(
    x: TensorLike,
    axis: int | tuple | None = None,
    keepdims: bool = False,
    initial: float | None = None,
) -> torch.Tensor:
    """Minimum of a tensor or minimum along the given axes.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.
        initial: The maximum value an output element can take; also the
            result of reducing an empty axis.

    Returns:
        The minimum, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.min([[1, 5], [3, 2]], axis=1).tolist()
    [1, 2]
    """
    return _reduce_extremum(
        "min", torch.amin, torch.minimum, x, axis, keepdims, initial
    )


@op
def prod(
    x: TensorLike,
    axis: int | tuple | None = None,
    keepdims: bool = False,
    dtype: object = None,
) -> torch.Tensor:
    """Product of tensor elements over the given axes.

    Args:
        x: Input tensor.
        axis: Axis or axes to multiply over; `None` multiplies everything.
        keepdims: If `True`, reduced axes are kept with size 1.
        dtype: Output dtype. By default small ints and bools give `int32`
            and 64-bit types give their 32-bit versions, as in Keras.

    Returns:
        The product.

    Example:

    >>> from lamina import ops
    >>> ops.prod([[1, 2], [3, 4]], axis=1).tolist()
    [2, 12]
    """
    x = to_tensor(x)
    if dtype is None:
        name = result_type(x.dtype)
        if name in ("bool", "uint8", "int8", "int16"):
            name = "int32"
        dtype = name
    out_dtype = to_torch_dtype(dtype)
    compute = out_dtype
    if compute == torch.float16 and x.device.type == "cpu":
        compute = torch.float32  # torch.prod has no CPU half kernel.
    if axis is None:
        out = as_dtype(torch.prod(x, dtype=compute), out_dtype)
        return _keep_all(out, x.ndim) if keepdims else out
    # torch.prod reduces one axis at a time; go from the last one so the
    # remaining axis numbers stay valid.
    for a in sorted(canonicalize_axes("prod", axis, x.ndim), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims, dtype=compute)
    return as_dtype(x, out_dtype)


@op
def std(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Standard deviation (population, no Bessel correction).

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The standard deviation; integer inputs give `float32`.

    Example:

    >>> from lamina import ops
    >>> ops.std([1.0, 3.0]).item()
    1.0
    """
    x = to_tensor(x)
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(torch.float32)
    return torch.std(x, dim=_dims(axis), keepdim=keepdims, correction=0)


@op
def var(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Variance (population, no Bessel correction).

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The variance, in the dtype `result_type(x.dtype, float)` gives.

    Example:

    >>> from lamina import ops
    >>> ops.var([1.0, 3.0]).item()
    1.0
    """
    x = to_tensor(x)
    out_dtype = to_torch_dtype(result_type(x.dtype, float))
    if _is_empty_axis(axis):
        return torch.zeros_like(x, dtype=out_dtype)
    out = torch.var(
        as_dtype(x, _compute_float(x)),
        dim=_dims(axis),
        keepdim=keepdims,
        correction=0,
    )
    return as_dtype(out, out_dtype)


def _arg_extremum(torch_fn, x, axis, keepdims) -> torch.Tensor:
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)  # No bool kernels for argmax/argmin.
    return as_dtype(torch_fn(x, dim=axis, keepdim=keepdims), torch.int32)


@op
def argmax(
    x: TensorLike, axis: int | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Indices of the maximum values along an axis.

    Args:
        x: Input tensor.
        axis: The axis; `None` indexes into the flattened tensor.
        keepdims: If `True`, the reduced axis is kept with size 1.

    Returns:
        `int32` indices (the first occurrence on ties).

    Example:

    >>> from lamina import ops
    >>> ops.argmax([[1, 5], [7, 2]], axis=1).tolist()
    [1, 0]
    """
    return _arg_extremum(torch.argmax, x, axis, keepdims)


@op
def argmin(
    x: TensorLike, axis: int | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Indices of the minimum values along an axis.

    Args:
        x: Input tensor.
        axis: The axis; `None` indexes into the flattened tensor.
        keepdims: If `True`, the reduced axis is kept with size 1.

    Returns:
        `int32` indices (the first occurrence on ties).

    Example:

    >>> from lamina import ops
    >>> ops.argmin([[1, 5], [7, 2]], axis=1).tolist()
    [0, 1]
    """
    return _arg_extremum(torch.argmin, x, axis, keepdims)
