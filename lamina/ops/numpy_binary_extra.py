"""More element-wise ops of two operands: `logaddexp(2)`, `hypot`,
`fmax`/`fmin`/`fmod`, `gcd`/`lcm`, `ldexp`, `nextafter`, `heaviside`,
`divide_no_nan`.

Result dtypes are Keras's `result_type` of the operand dtypes, with the
float floors Keras's torch backend applies (named in each docstring).
Python scalars are weak types only where Keras treats them so (`fmax`,
`fmin`, `divide_no_nan`).
"""

from __future__ import annotations

import torch

from lamina import config
from lamina.ops._convert import as_dtype, operands
from lamina.ops._dtypes import result_type, to_torch_dtype
from lamina.ops._op import op
from lamina.ops.numpy_arith import _weak_operands
from lamina.typing import TensorLike

_SMALL_INT_NAMES = ("int8", "int16", "int32", "uint8", "uint16", "uint32")


def _float_operands(x1, x2) -> tuple:
    """Operands cast to `result_type(x1, x2, float)`."""
    t1, t2 = operands(x1, x2)
    dtype = to_torch_dtype(result_type(t1.dtype, t2.dtype, float))
    return as_dtype(t1, dtype), as_dtype(t2, dtype), dtype


def _int_to_float_operands(x1, x2) -> tuple:
    """Operands in their common dtype, where ints become floats (`int64`
    gives `float64`, smaller ints `floatx()`)."""
    t1, t2 = operands(x1, x2)
    name = result_type(t1.dtype, t2.dtype)
    if name in _SMALL_INT_NAMES:
        name = config.floatx()
    elif name == "int64":
        name = "float64"
    dtype = to_torch_dtype(name)
    return as_dtype(t1, dtype), as_dtype(t2, dtype)


@op
def logaddexp(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`log(exp(x1) + exp(x2))`, computed stably, element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        The result, in `result_type(x1, x2, float)`.

    Example:

    >>> from lamina import ops
    >>> round(ops.logaddexp(0.0, 0.0).item(), 4)
    0.6931
    """
    t1, t2, dtype = _float_operands(x1, x2)
    if dtype == torch.float16 and t1.device.type == "cpu":
        # torch has no float16 logaddexp kernel on the CPU.
        return torch.logaddexp(t1.float(), t2.float()).to(dtype)
    return torch.logaddexp(t1, t2)


@op
def logaddexp2(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`log2(2**x1 + 2**x2)`, computed stably, element-wise.

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        The result, in `result_type(x1, x2, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.logaddexp2(1.0, 1.0).item()
    2.0
    """
    t1, t2, dtype = _float_operands(x1, x2)
    if dtype == torch.float16 and t1.device.type == "cpu":
        return torch.logaddexp2(t1.float(), t2.float()).to(dtype)
    return torch.logaddexp2(t1, t2)


@op
def hypot(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`sqrt(x1**2 + x2**2)`, element-wise.

    Args:
        x1: First leg.
        x2: Second leg.

    Returns:
        The hypotenuse (integer inputs give floats).

    Example:

    >>> from lamina import ops
    >>> ops.hypot(3, 4).item()
    5.0
    """
    return torch.hypot(*_int_to_float_operands(x1, x2))


@op
def heaviside(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Heaviside step: 0 where `x1 < 0`, `x2` where `x1 == 0`, else 1.

    Args:
        x1: Input values.
        x2: The value at `x1 == 0`.

    Returns:
        The step function (integer inputs give floats).

    Example:

    >>> from lamina import ops
    >>> ops.heaviside([-1.0, 0.0, 2.0], 0.5).tolist()
    [0.0, 0.5, 1.0]
    """
    return torch.heaviside(*_int_to_float_operands(x1, x2))


@op
def fmax(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise maximum that ignores NaNs (NaN only if both are).

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        The maximum, in the dtype `result_type` gives.

    Example:

    >>> from lamina import ops
    >>> ops.fmax([1.0, float("nan")], [0.0, 2.0]).tolist()
    [1.0, 2.0]
    """
    t1, t2, dtype = _weak_operands(x1, x2)
    return torch.fmax(as_dtype(t1, dtype), as_dtype(t2, dtype))


@op
def fmin(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise minimum that ignores NaNs (NaN only if both are).

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        The minimum, in the dtype `result_type` gives.

    Example:

    >>> from lamina import ops
    >>> ops.fmin([1.0, float("nan")], [0.0, 2.0]).tolist()
    [0.0, 2.0]
    """
    t1, t2, dtype = _weak_operands(x1, x2)
    return torch.fmin(as_dtype(t1, dtype), as_dtype(t2, dtype))


@op
def fmod(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Remainder of division with the sign of the dividend (C's `fmod`).

    Args:
        x1: Dividend.
        x2: Divisor.

    Returns:
        `x1 - trunc(x1 / x2) * x2`, element-wise.

    Example:

    >>> from lamina import ops
    >>> ops.fmod([-7, 7], 3).tolist()
    [-1, 1]
    """
    t1, t2 = operands(x1, x2)
    if t1.dtype == torch.bool and t2.dtype == torch.bool:
        t1, t2 = t1.to(torch.int32), t2.to(torch.int32)
    return torch.fmod(t1, t2)


@op
def gcd(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Greatest common divisor of integer tensors, element-wise.

    Args:
        x1: First integer tensor.
        x2: Second integer tensor.

    Returns:
        `gcd(|x1|, |x2|)`.

    Example:

    >>> from lamina import ops
    >>> ops.gcd([12, 9], [8, 6]).tolist()
    [4, 3]
    """
    return torch.gcd(*operands(x1, x2))


@op
def lcm(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Least common multiple of integer tensors, element-wise.

    Args:
        x1: First integer tensor.
        x2: Second integer tensor.

    Returns:
        `lcm(|x1|, |x2|)`.

    Example:

    >>> from lamina import ops
    >>> ops.lcm([4, 3], [6, 5]).tolist()
    [12, 15]
    """
    return torch.lcm(*operands(x1, x2))


@op
def ldexp(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 * 2**x2`, element-wise.

    Args:
        x1: The mantissas.
        x2: Integer exponents.

    Returns:
        The result, in `result_type(x1, x2, float)`.

    Raises:
        TypeError: if `x2` is not of an integer dtype.

    Example:

    >>> from lamina import ops
    >>> ops.ldexp([1.0, 3.0], [2, 1]).tolist()
    [4.0, 6.0]
    """
    t1, t2 = operands(x1, x2)
    if t2.dtype.is_floating_point or t2.dtype in (torch.bool, torch.complex64):
        raise TypeError(
            "Invalid dtype for argument `x2` of ops.ldexp: expected an "
            f"integer exponent. Received: x2.dtype={t2.dtype}"
        )
    dtype = to_torch_dtype(result_type(t1.dtype, t2.dtype, float))
    return torch.ldexp(t1, t2).to(dtype)


@op
def nextafter(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """The next representable float after `x1` towards `x2`, element-wise.

    Computed in `float64`, then cast to `result_type(x1, x2, float)`, as
    Keras on torch does (so the step rounds back to `x1` when that type is
    `float32`, which `result_type` gives even for `float64` inputs).

    Args:
        x1: Starting values.
        x2: Directions.

    Returns:
        The neighbouring values.

    Example:

    >>> from lamina import ops
    >>> ops.nextafter(1.0, 2.0).item()  # the float64 step rounds back
    1.0
    """
    t1, t2 = operands(x1, x2)
    dtype = to_torch_dtype(result_type(t1.dtype, t2.dtype, float))
    out = torch.nextafter(t1.to(torch.float64), t2.to(torch.float64))
    return out.to(dtype)


@op
def divide_no_nan(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 / x2`, with 0 wherever `x2` is 0.

    Args:
        x1: Numerator.
        x2: Denominator.

    Returns:
        The safe quotient, in `result_type(x1, x2, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.divide_no_nan([1.0, 2.0], [0.0, 4.0]).tolist()
    [0.0, 0.5]
    """
    t1, t2, _ = _weak_operands(x1, x2)
    kinds = [
        type(x) if isinstance(x, (bool, int, float)) else t.dtype
        for x, t in ((x1, t1), (x2, t2))
    ]
    dtype = to_torch_dtype(result_type(*kinds, float))
    t1, t2 = as_dtype(t1, dtype), as_dtype(t2, dtype)
    zero = t2 == 0
    # Divide by 1 where x2 is 0 so the gradient stays finite there too.
    quotient = torch.divide(t1, torch.where(zero, torch.ones_like(t2), t2))
    return torch.where(zero, torch.zeros_like(quotient), quotient)
