"""Bitwise ops on integer and boolean tensors: `bitwise_and`, `_or`,
`_xor`, `_invert`/`_not`, and the shifts (`bitwise_left_shift`/`left_shift`,
`bitwise_right_shift`/`right_shift`).

Dtypes follow torch's promotion, as Keras on torch does; a Python int
operand adopts the tensor's dtype. Float inputs raise `TypeError`.
"""

from __future__ import annotations

import torch

from lamina.ops._convert import operands, to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def bitwise_and(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Bitwise AND of integer or boolean tensors, element-wise.

    Args:
        x: First input tensor.
        y: Second input tensor.

    Returns:
        `x & y`.

    Example:

    >>> from lamina import ops
    >>> ops.bitwise_and([12, 10], 6).tolist()
    [4, 2]
    """
    return torch.bitwise_and(*operands(x, y))


@op
def bitwise_or(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Bitwise OR of integer or boolean tensors, element-wise.

    Args:
        x: First input tensor.
        y: Second input tensor.

    Returns:
        `x | y`.

    Example:

    >>> from lamina import ops
    >>> ops.bitwise_or([12, 10], 1).tolist()
    [13, 11]
    """
    return torch.bitwise_or(*operands(x, y))


@op
def bitwise_xor(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Bitwise XOR of integer or boolean tensors, element-wise.

    Args:
        x: First input tensor.
        y: Second input tensor.

    Returns:
        `x ^ y`.

    Example:

    >>> from lamina import ops
    >>> ops.bitwise_xor([12, 10], 6).tolist()
    [10, 12]
    """
    return torch.bitwise_xor(*operands(x, y))


@op
def bitwise_invert(x: TensorLike) -> torch.Tensor:
    """Bitwise NOT of an integer or boolean tensor, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `~x`.

    Example:

    >>> from lamina import ops
    >>> ops.bitwise_invert([0, 5]).tolist()
    [-1, -6]
    """
    return torch.bitwise_not(to_tensor(x))


@op
def bitwise_not(x: TensorLike) -> torch.Tensor:
    """Bitwise NOT (alias of `bitwise_invert`).

    Args:
        x: Input tensor.

    Returns:
        `~x`.

    Example:

    >>> from lamina import ops
    >>> ops.bitwise_not([True, False]).tolist()
    [False, True]
    """
    return torch.bitwise_not(to_tensor(x))


@op
def bitwise_left_shift(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Shift the bits of `x` left by `y`, element-wise.

    Args:
        x: Integer input tensor.
        y: Shift amounts.

    Returns:
        `x << y`.

    Example:

    >>> from lamina import ops
    >>> ops.bitwise_left_shift([1, 3], 2).tolist()
    [4, 12]
    """
    return torch.bitwise_left_shift(*operands(x, y))


@op
def left_shift(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Shift the bits of `x` left by `y` (alias of `bitwise_left_shift`).

    Args:
        x: Integer input tensor.
        y: Shift amounts.

    Returns:
        `x << y`.

    Example:

    >>> from lamina import ops
    >>> ops.left_shift([1], 3).tolist()
    [8]
    """
    return torch.bitwise_left_shift(*operands(x, y))


@op
def bitwise_right_shift(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Shift the bits of `x` right by `y` (arithmetic), element-wise.

    Args:
        x: Integer input tensor.
        y: Shift amounts.

    Returns:
        `x >> y`.

    Example:

    >>> from lamina import ops
    >>> ops.bitwise_right_shift([16, -16], 2).tolist()
    [4, -4]
    """
    return torch.bitwise_right_shift(*operands(x, y))


@op
def right_shift(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Shift the bits of `x` right by `y` (alias of `bitwise_right_shift`).

    Args:
        x: Integer input tensor.
        y: Shift amounts.

    Returns:
        `x >> y`.

    Example:

    >>> from lamina import ops
    >>> ops.right_shift([8], 3).tolist()
    [1]
    """
    return torch.bitwise_right_shift(*operands(x, y))
