"""Element-wise arithmetic between two operands: `add` … `power`.

Dtypes follow Keras 3 on torch: most ops keep torch's promotion (a Python
scalar adopts the tensor's dtype), while `floor_divide`, `maximum` and
`minimum` use Keras's `result_type` lattice.
"""

from __future__ import annotations

import torch

from lamina.ops._convert import as_dtype
from lamina.ops._convert import operands
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _weak_operands(x1, x2) -> tuple:
    """Both operands as tensors, and their `result_type`, in which Python
    scalars count as weak types that adopt the other operand's dtype."""
    t1, t2 = operands(x1, x2)
    kinds = [
        type(x) if isinstance(x, (bool, int, float)) else t.dtype
        for x, t in ((x1, t1), (x2, t2))
    ]
    return t1, t2, to_torch_dtype(result_type(*kinds))


@op
def add(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Add arguments element-wise, with broadcasting.

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        The element-wise sum of `x1` and `x2`.

    Example:

    >>> from lamina import ops
    >>> ops.add([1, 2], 3).tolist()
    [4, 5]
    """
    x1, x2 = operands(x1, x2)
    return torch.add(x1, x2)


@op
def subtract(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Subtract arguments element-wise, with broadcasting.

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        The element-wise difference `x1 - x2`.

    Example:

    >>> from lamina import ops
    >>> ops.subtract([5, 7], [1, 2]).tolist()
    [4, 5]
    """
    x1, x2 = operands(x1, x2)
    # torch cannot subtract booleans; Keras casts the bool side first.
    if x1.dtype == torch.bool:
        x1 = x1.to(x2.dtype)
    if x2.dtype == torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.subtract(x1, x2)


@op
def multiply(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Multiply arguments element-wise, with broadcasting.

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        The element-wise product of `x1` and `x2`.

    Example:

    >>> from lamina import ops
    >>> ops.multiply([1.0, 2.0], 3.0).tolist()
    [3.0, 6.0]
    """
    x1, x2 = operands(x1, x2)
    return torch.multiply(x1, x2)


@op
def divide(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Divide arguments element-wise (true division).

    Integer inputs give a float result.

    Args:
        x1: Numerator.
        x2: Denominator.

    Returns:
        The element-wise quotient `x1 / x2`.

    Example:

    >>> from lamina import ops
    >>> ops.divide([1, 3], 2).tolist()
    [0.5, 1.5]
    """
    x1, x2 = operands(x1, x2)
    return torch.divide(x1, x2)


@op
def true_divide(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Alias of `divide`.

    Args:
        x1: Numerator.
        x2: Denominator.

    Returns:
        The element-wise quotient `x1 / x2`.

    Example:

    >>> from lamina import ops
    >>> ops.true_divide([1.0], [4.0]).tolist()
    [0.25]
    """
    x1, x2 = operands(x1, x2)
    return torch.divide(x1, x2)


@op
def floor_divide(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Largest integer smaller or equal to the division, element-wise.

    Args:
        x1: Numerator.
        x2: Denominator.

    Returns:
        `floor(x1 / x2)`, in the dtype `result_type` gives.

    Example:

    >>> from lamina import ops
    >>> ops.floor_divide([7, -7], 2).tolist()
    [3, -4]
    """
    x1, x2, dtype = _weak_operands(x1, x2)
    return as_dtype(torch.floor_divide(x1, x2), dtype)


@op
def mod(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise remainder of division, with the sign of the divisor.

    Args:
        x1: Dividend.
        x2: Divisor.

    Returns:
        `x1 % x2`, element-wise.

    Example:

    >>> from lamina import ops
    >>> ops.mod([7, -7], 3).tolist()
    [1, 2]
    """
    x1, x2 = operands(x1, x2)
    if x1.dtype == torch.bool and x2.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.remainder(x1, x2)


@op
def power(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """First tensor elements raised to powers from the second, element-wise.

    Args:
        x1: The bases.
        x2: The exponents.

    Returns:
        `x1 ** x2`, element-wise.

    Example:

    >>> from lamina import ops
    >>> ops.power([2, 3], 2).tolist()
    [4, 9]
    """
    x1, x2 = operands(x1, x2)
    return torch.pow(x1, x2)


def _extremum(torch_fn, x1, x2) -> torch.Tensor:
    x1, x2, dtype = _weak_operands(x1, x2)
    return torch_fn(as_dtype(x1, dtype), as_dtype(x2, dtype))


@op
def maximum(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise maximum of two tensors, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        The element-wise maximum, in the dtype `result_type` gives.

    Example:

    >>> from lamina import ops
    >>> ops.maximum([1, 5], [3, 2]).tolist()
    [3, 5]
    """
    return _extremum(torch.maximum, x1, x2)


@op
def minimum(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise minimum of two tensors, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        The element-wise minimum, in the dtype `result_type` gives.

    Example:

    >>> from lamina import ops
    >>> ops.minimum([1, 5], [3, 2]).tolist()
    [1, 2]
    """
    return _extremum(torch.minimum, x1, x2)
