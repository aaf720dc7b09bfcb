"""Element-wise sign, magnitude and rounding ops, and `clip`."""

from __future__ import annotations

import torch

from lamina import config
from lamina.ops._convert import as_dtype
from lamina.ops._convert import operands
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def negative(x: TensorLike) -> torch.Tensor:
    """Numerical negative, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `-x`.

    Example:

    >>> from lamina import ops
    >>> ops.negative([1, -2]).tolist()
    [-1, 2]
    """
    return torch.negative(to_tensor(x))


@op
def square(x: TensorLike) -> torch.Tensor:
    """Element-wise square (booleans give `int32`).

    Args:
        x: Input tensor.

    Returns:
        `x * x`.

    Example:

    >>> from lamina import ops
    >>> ops.square([2, -3]).tolist()
    [4, 9]
    """
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.square(x)


@op
def sqrt(x: TensorLike) -> torch.Tensor:
    """Element-wise non-negative square root (integers give floats).

    Args:
        x: Input tensor.

    Returns:
        `sqrt(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.sqrt([4.0, 9.0]).tolist()
    [2.0, 3.0]
    """
    x = to_tensor(x)
    if x.dtype == torch.int64:
        x = x.to(to_torch_dtype(config.floatx()))
    return torch.sqrt(x)


@op
def absolute(x: TensorLike) -> torch.Tensor:
    """Element-wise absolute value.

    Args:
        x: Input tensor.

    Returns:
        `|x|`, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.absolute([-1.5, 2.0]).tolist()
    [1.5, 2.0]
    """
    return _absolute(x)


@op
def abs(x: TensorLike) -> torch.Tensor:
    """Shorthand for `absolute`.

    Args:
        x: Input tensor.

    Returns:
        `|x|`, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.abs([-3]).tolist()
    [3]
    """
    return _absolute(x)


def _absolute(x: TensorLike) -> torch.Tensor:
    x = to_tensor(x)
    if x.dtype == torch.bool:
        return x  # Booleans are already non-negative.
    return torch.abs(x)


@op
def sign(x: TensorLike) -> torch.Tensor:
    """Element-wise sign: -1, 0 or 1.

    Args:
        x: Input tensor.

    Returns:
        The sign of `x`, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.sign([-2.0, 0.0, 3.0]).tolist()
    [-1.0, 0.0, 1.0]
    """
    return torch.sign(to_tensor(x))


@op
def round(x: TensorLike, decimals: int = 0) -> torch.Tensor:
    """Round to the given number of decimals (halves to even).

    Args:
        x: Input tensor.
        decimals: Number of decimal places. Defaults to `0`.

    Returns:
        The rounded tensor, same dtype as `x`.

    Example:

    >>> from lamina import ops
    >>> ops.round([0.5, 1.5, 2.26], decimals=0).tolist()
    [0.0, 2.0, 2.0]
    """
    x = to_tensor(x)
    if x.dtype.is_floating_point or x.dtype.is_complex:
        return torch.round(x, decimals=decimals)
    # torch.round has no integer kernels.
    floatx = to_torch_dtype(config.floatx())
    return torch.round(x.to(floatx), decimals=decimals).to(x.dtype)


def _rounding(torch_fn, x) -> torch.Tensor:
    x = to_tensor(x)
    if x.dtype == torch.int64:
        dtype = to_torch_dtype(config.floatx())
    else:
        dtype = to_torch_dtype(result_type(x.dtype, float))
    compute = dtype
    if dtype == torch.float16 and x.device.type == "cpu":
        compute = torch.float32  # Half rounding kernels are GPU-only.
    return as_dtype(torch_fn(as_dtype(x, compute)), dtype)


@op
def floor(x: TensorLike) -> torch.Tensor:
    """Element-wise floor (integers give floats).

    Args:
        x: Input tensor.

    Returns:
        The largest integer `<= x`, as a float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.floor([1.7, -1.2]).tolist()
    [1.0, -2.0]
    """
    return _rounding(torch.floor, x)


@op
def ceil(x: TensorLike) -> torch.Tensor:
    """Element-wise ceiling (integers give floats).

    Args:
        x: Input tensor.

    Returns:
        The smallest integer `>= x`, as a float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.ceil([1.2, -1.7]).tolist()
    [2.0, -1.0]
    """
    return _rounding(torch.ceil, x)


@op
def clip(x: TensorLike, x_min: TensorLike, x_max: TensorLike) -> torch.Tensor:
    """Clip (limit) the values of a tensor to `[x_min, x_max]`.

    Args:
        x: Input tensor.
        x_min: Minimum value (scalar or broadcastable tensor).
        x_max: Maximum value (scalar or broadcastable tensor).

    Returns:
        The clipped tensor.

    Example:

    >>> from lamina import ops
    >>> ops.clip([-1.0, 0.5, 2.0], 0.0, 1.0).tolist()
    [0.0, 0.5, 1.0]
    """
    x, x_min, x_max = operands(x, x_min, x_max)
    if x.dtype == torch.float16 and x.device.type == "cpu":
        return torch.clip(x.float(), min=x_min, max=x_max).to(torch.float16)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.clip(x, min=x_min, max=x_max)
