"""Truth reductions (`all`, `any`, `count_nonzero`) and running totals
(`cumsum`, `cumprod`)."""

from __future__ import annotations

import torch

from lamina.ops._convert import as_dtype
from lamina.ops._convert import canonicalize_axes
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _truth(torch_fn, x, axis, keepdims) -> torch.Tensor:
    x = to_tensor(x)
    if isinstance(axis, (tuple, list)) and len(axis) == 0:
        return x.to(torch.bool)
    dim = tuple(axis) if isinstance(axis, list) else axis
    return as_dtype(torch_fn(x, dim=dim, keepdim=keepdims), torch.bool)


@op
def all(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Test whether all elements along the given axes are true.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.all([[True, False], [True, True]], axis=1).tolist()
    [False, True]
    """
    return _truth(torch.all, x, axis, keepdims)


@op
def any(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Test whether any element along the given axes is true.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.any([[True, False], [False, False]], axis=1).tolist()
    [True, False]
    """
    return _truth(torch.any, x, axis, keepdims)


@op
def count_nonzero(
    x: TensorLike, axis: int | tuple | None = None
) -> torch.Tensor:
    """Count the non-zero values along the given axes.

    Args:
        x: Input tensor.
        axis: Axis or axes to count along; `None` counts all elements.

    Returns:
        `int32` counts.

    Example:

    >>> from lamina import ops
    >>> ops.count_nonzero([[0, 1, 7], [0, 0, 3]], axis=1).tolist()
    [2, 1]
    """
    x = to_tensor(x)
    if isinstance(axis, (tuple, list)) and len(axis) == 0:
        return torch.ne(x, 0).to(torch.int32)
    if axis is not None:
        axis = canonicalize_axes("count_nonzero", axis, x.ndim)
    return torch.count_nonzero(x, dim=axis).to(torch.int32)


def _accumulate(name, torch_fn, x, axis, dtype) -> torch.Tensor:
    x = to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    name_out = result_type(dtype if dtype is not None else x.dtype)
    if name_out == "bool":
        name_out = "int32"
    out_dtype = to_torch_dtype(name_out)
    if out_dtype == torch.float16 and x.device.type == "cpu":
        # No CPU half kernel: accumulate in float32.
        return torch_fn(x, dim=axis, dtype=torch.float32).to(out_dtype)
    return torch_fn(x, dim=axis, dtype=out_dtype)


@op
def cumsum(
    x: TensorLike, axis: int | None = None, dtype: object = None
) -> torch.Tensor:
    """Cumulative sum of elements along an axis.

    Args:
        x: Input tensor.
        axis: The axis; `None` works on the flattened tensor.
        dtype: Output dtype; defaults to `x`'s (bools give `int32`, and
            64-bit types their 32-bit versions, as in Keras).

    Returns:
        The running sums.

    Example:

    >>> from lamina import ops
    >>> ops.cumsum([1, 2, 3]).tolist()
    [1, 3, 6]
    """
    return _accumulate("cumsum", torch.cumsum, x, axis, dtype)


@op
def cumprod(
    x: TensorLike, axis: int | None = None, dtype: object = None
) -> torch.Tensor:
    """Cumulative product of elements along an axis.

    Args:
        x: Input tensor.
        axis: The axis; `None` works on the flattened tensor.
        dtype: Output dtype; defaults to `x`'s (bools give `int32`, and
            64-bit types their 32-bit versions, as in Keras).

    Returns:
        The running products.

    Example:

    >>> from lamina import ops
    >>> ops.cumprod([1, 2, 3]).tolist()
    [1, 2, 6]
    """
    return _accumulate("cumprod", torch.cumprod, x, axis, dtype)
