"""Exponentials, logarithms and trigonometric functions, element-wise.

Integer inputs give float outputs (torch's default float type, or
`floatx()` for `exp`/`expm1`, as Keras on torch does).
"""

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


def _float_input(x: TensorLike) -> torch.Tensor:
    x = to_tensor(x)
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(to_torch_dtype(config.floatx()))
    return x


@op
def exp(x: TensorLike) -> torch.Tensor:
    """Exponential, element-wise (integers give `floatx()`).

    Args:
        x: Input tensor.

    Returns:
        `e ** x`.

    Example:

    >>> from lamina import ops
    >>> ops.exp([0.0]).tolist()
    [1.0]
    """
    return torch.exp(_float_input(x))


@op
def expm1(x: TensorLike) -> torch.Tensor:
    """`exp(x) - 1`, element-wise, accurate near zero.

    Args:
        x: Input tensor.

    Returns:
        `exp(x) - 1`.

    Example:

    >>> from lamina import ops
    >>> ops.expm1([0.0]).tolist()
    [0.0]
    """
    return torch.expm1(_float_input(x))


@op
def log(x: TensorLike) -> torch.Tensor:
    """Natural logarithm, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `ln(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.log([1.0]).tolist()
    [0.0]
    """
    return torch.log(to_tensor(x))


@op
def log1p(x: TensorLike) -> torch.Tensor:
    """`log(1 + x)`, element-wise, accurate near zero.

    Args:
        x: Input tensor.

    Returns:
        `ln(1 + x)`.

    Example:

    >>> from lamina import ops
    >>> ops.log1p([0.0]).tolist()
    [0.0]
    """
    return torch.log1p(to_tensor(x))


@op
def log2(x: TensorLike) -> torch.Tensor:
    """Base-2 logarithm, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `log2(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.log2([8.0]).tolist()
    [3.0]
    """
    return torch.log2(to_tensor(x))


@op
def log10(x: TensorLike) -> torch.Tensor:
    """Base-10 logarithm, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `log10(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.log10([100.0]).tolist()
    [2.0]
    """
    return torch.log10(to_tensor(x))


@op
def sin(x: TensorLike) -> torch.Tensor:
    """Trigonometric sine, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `sin(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.sin([0.0]).tolist()
    [0.0]
    """
    return torch.sin(to_tensor(x))


@op
def cos(x: TensorLike) -> torch.Tensor:
    """Trigonometric cosine, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `cos(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.cos([0.0]).tolist()
    [1.0]
    """
    return torch.cos(to_tensor(x))


@op
def tan(x: TensorLike) -> torch.Tensor:
    """Trigonometric tangent, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `tan(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.tan([0.0]).tolist()
    [0.0]
    """
    return torch.tan(to_tensor(x))


@op
def tanh(x: TensorLike) -> torch.Tensor:
    """Hyperbolic tangent, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `tanh(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.tanh([0.0]).tolist()
    [0.0]
    """
    return torch.tanh(to_tensor(x))


@op
def sinh(x: TensorLike) -> torch.Tensor:
    """Hyperbolic sine, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `sinh(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.sinh([0.0]).tolist()
    [0.0]
    """
    return torch.sinh(to_tensor(x))


@op
def cosh(x: TensorLike) -> torch.Tensor:
    """Hyperbolic cosine, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `cosh(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.cosh([0.0]).tolist()
    [1.0]
    """
    return torch.cosh(to_tensor(x))


@op
def arcsin(x: TensorLike) -> torch.Tensor:
    """Inverse sine, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `arcsin(x)`, in `[-pi/2, pi/2]`.

    Example:

    >>> from lamina import ops
    >>> ops.arcsin([0.0]).tolist()
    [0.0]
    """
    return torch.arcsin(to_tensor(x))


@op
def arccos(x: TensorLike) -> torch.Tensor:
    """Inverse cosine, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `arccos(x)`, in `[0, pi]`.

    Example:

    >>> from lamina import ops
    >>> ops.arccos([1.0]).tolist()
    [0.0]
    """
    return torch.arccos(to_tensor(x))


@op
def arctan(x: TensorLike) -> torch.Tensor:
    """Inverse tangent, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `arctan(x)`, in `[-pi/2, pi/2]`.

    Example:

    >>> from lamina import ops
    >>> ops.arctan([0.0]).tolist()
    [0.0]
    """
    return torch.arctan(to_tensor(x))


@op
def arctan2(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise arc tangent of `x1 / x2`, choosing the quadrant.

    Args:
        x1: The y-coordinates.
        x2: The x-coordinates.

    Returns:
        The angles in radians, in `[-pi, pi]`.

    Example:

    >>> from lamina import ops
    >>> ops.arctan2([0.0], [1.0]).tolist()
    [0.0]
    """
    x1, x2 = operands(x1, x2)
    dtype = to_torch_dtype(result_type(x1.dtype, x2.dtype, float))
    compute = dtype
    if dtype == torch.float16 and x1.device.type == "cpu":
        compute = torch.float32  # No half kernel on CPU.
    out = torch.arctan2(as_dtype(x1, compute), as_dtype(x2, compute))
    return as_dtype(out, dtype)
