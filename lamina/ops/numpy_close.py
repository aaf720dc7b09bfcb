"""Closeness and special-value tests: `isclose`, `allclose`, `isneginf`,
`isposinf`, `isreal`."""

from __future__ import annotations

import torch

from lamina.ops._convert import as_dtype, operands, to_tensor
from lamina.ops._dtypes import result_type, to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _close(x1, x2, rtol, atol, equal_nan) -> torch.Tensor:
    t1, t2 = operands(x1, x2)
    dtype = to_torch_dtype(result_type(t1.dtype, t2.dtype))
    t1, t2 = as_dtype(t1, dtype), as_dtype(t2, dtype)
    if dtype.is_floating_point or dtype.is_complex:
        return torch.isclose(t1, t2, rtol=rtol, atol=atol, equal_nan=equal_nan)
    return torch.eq(t1, t2)


@op
def isclose(
    x1: TensorLike,
    x2: TensorLike,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> torch.Tensor:
    """Element-wise `|x1 - x2| <= atol + rtol * |x2|`.

    Args:
        x1: First input tensor.
        x2: Second input tensor.
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        equal_nan: Whether NaNs compare equal.

    Returns:
        A `bool` tensor (integer inputs compare exactly).

    Example:

    >>> from lamina import ops
    >>> ops.isclose([1.0, 2.0], [1.0 + 1e-9, 2.1]).tolist()
    [True, False]
    """
    return _close(x1, x2, rtol, atol, equal_nan)


@op
def allclose(
    x1: TensorLike,
    x2: TensorLike,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> torch.Tensor:
    """Whether all elements are close (see `isclose`).

    Args:
        x1: First input tensor.
        x2: Second input tensor.
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        equal_nan: Whether NaNs compare equal.

    Returns:
        A scalar `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.allclose([1.0, 2.0], [1.0, 2.0]).item()
    True
    """
    return torch.all(_close(x1, x2, rtol, atol, equal_nan))


@op
def isneginf(x: TensorLike) -> torch.Tensor:
    """Whether each element is negative infinity.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.isneginf([float("-inf"), 1.0]).tolist()
    [True, False]
    """
    return torch.isneginf(to_tensor(x))


@op
def isposinf(x: TensorLike) -> torch.Tensor:
    """Whether each element is positive infinity.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.isposinf([float("inf"), 1.0]).tolist()
    [True, False]
    """
    return torch.isposinf(to_tensor(x))


@op
def isreal(x: TensorLike) -> torch.Tensor:
    """Whether each element has no imaginary part.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor (all true for real dtypes).

    Example:

    >>> from lamina import ops
    >>> ops.isreal([1.0, 2.0]).tolist()
    [True, True]
    """
    return torch.isreal(to_tensor(x))
