"""Comparisons, logical ops, NaN/infinity tests and `where`.

All return `bool` tensors except `where`, which selects values.
"""

from __future__ import annotations

import torch

from lamina.errors import format_value
from lamina.ops._convert import as_dtype
from lamina.ops._convert import operands
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def equal(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Returns `x1 == x2` element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor (broadcast against `x1`).

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.equal([1, 2], [1, 3]).tolist()
    [True, False]
    """
    x1, x2 = operands(x1, x2)
    return torch.eq(x1, x2)


@op
def not_equal(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Returns `x1 != x2` element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor (broadcast against `x1`).

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.not_equal([1, 2], [1, 3]).tolist()
    [False, True]
    """
    x1, x2 = operands(x1, x2)
    return torch.not_equal(x1, x2)


@op
def less(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Returns `x1 < x2` element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor (broadcast against `x1`).

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.less([1, 3], 2).tolist()
    [True, False]
    """
    x1, x2 = operands(x1, x2)
    return torch.less(x1, x2)


@op
def less_equal(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Returns `x1 <= x2` element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor (broadcast against `x1`).

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.less_equal([2, 3], 2).tolist()
    [True, False]
    """
    x1, x2 = operands(x1, x2)
    return torch.less_equal(x1, x2)


@op
def greater(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Returns `x1 > x2` element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor (broadcast against `x1`).

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.greater([1, 3], 2).tolist()
    [False, True]
    """
    x1, x2 = operands(x1, x2)
    return torch.greater(x1, x2)


@op
def greater_equal(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Returns `x1 >= x2` element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor (broadcast against `x1`).

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.greater_equal([1, 2], 2).tolist()
    [False, True]
    """
    x1, x2 = operands(x1, x2)
    return torch.greater_equal(x1, x2)


@op
def logical_and(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Logical AND of the truth values, element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor (broadcast against `x1`).

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.logical_and([True, True], [True, False]).tolist()
    [True, False]
    """
    x1, x2 = operands(x1, x2)
    return torch.logical_and(x1, x2)


@op
def logical_or(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Logical OR of the truth values, element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor (broadcast against `x1`).

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.logical_or([True, False], [False, False]).tolist()
    [True, False]
    """
    x1, x2 = operands(x1, x2)
    return torch.logical_or(x1, x2)


@op
def logical_xor(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Logical XOR of the truth values, element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor (broadcast against `x1`).

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.logical_xor([True, True], [True, False]).tolist()
    [False, True]
    """
    x1, x2 = operands(x1, x2)
    return torch.logical_xor(x1, x2)


@op
def logical_not(x: TensorLike) -> torch.Tensor:
    """Logical NOT of the truth value, element-wise.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.logical_not([True, False]).tolist()
    [False, True]
    """
    return torch.logical_not(to_tensor(x))


@op
def isnan(x: TensorLike) -> torch.Tensor:
    """Tests element-wise for NaN.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.isnan([1.0, float('nan')]).tolist()
    [False, True]
    """
    return torch.isnan(to_tensor(x))


@op
def isinf(x: TensorLike) -> torch.Tensor:
    """Tests element-wise for positive or negative infinity.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.isinf([1.0, float('inf')]).tolist()
    [False, True]
    """
    return torch.isinf(to_tensor(x))


@op
def isfinite(x: TensorLike) -> torch.Tensor:
    """Tests element-wise for finiteness (not infinity, not NaN).

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.isfinite([1.0, float('inf')]).tolist()
    [True, False]
    """
    return torch.isfinite(to_tensor(x))


@op
def where(
    condition: TensorLike,
    x1: TensorLike | None = None,
    x2: TensorLike | None = None,
) -> torch.Tensor:
    """Select `x1` where `condition` is true, else `x2`.

    With only `condition`, return the indices of its true elements as a
    `(condition.ndim, num_true)` tensor.

    Args:
        condition: Where true, yield `x1`, otherwise `x2`.
        x1: Values where `condition` is true.
        x2: Values where `condition` is false.

    Returns:
        A tensor of elements from `x1` and `x2`, broadcast together.

    Example:

    >>> from lamina import ops
    >>> ops.where([True, False], [1, 2], [10, 20]).tolist()
    [1, 20]
    """
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "`ops.where` expects `x1` and `x2` to be both None or both "
            f"given. Received: x1={format_value(x1)}, x2={format_value(x2)}"
        )
    if x1 is None:
        condition = to_tensor(condition, dtype="bool")
        return torch.stack(torch.where(condition), dim=0)
    condition, x1, x2 = operands(condition, x1, x2)
    return torch.where(as_dtype(condition, torch.bool), x1, x2)
