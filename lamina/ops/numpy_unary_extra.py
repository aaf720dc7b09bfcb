"""More element-wise unary ops: `reciprocal`, `trunc`, `cbrt`, `exp2`,
`fabs`, `signbit`, `sinc`, `i0`, `nan_to_num`.

Output dtypes follow Keras 3 on torch: where Keras lets torch pick
(`reciprocal`, `sinc`), integer inputs give torch's default float.
"""

from __future__ import annotations

import torch

from lamina import config
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _int_to_floatx(x: torch.Tensor) -> torch.Tensor:
    if x.dtype.is_floating_point or x.dtype.is_complex:
        return x
    return x.to(to_torch_dtype(config.floatx()))


@op
def reciprocal(x: TensorLike) -> torch.Tensor:
    """`1 / x`, element-wise.

    Args:
        x: Input tensor.

    Returns:
        The reciprocal of `x` (integer inputs give `float32`).

    Example:

    >>> from lamina import ops
    >>> ops.reciprocal([2.0, 4.0]).tolist()
    [0.5, 0.25]
    """
    return torch.reciprocal(to_tensor(x))


@op
def trunc(x: TensorLike) -> torch.Tensor:
    """Round towards zero, element-wise (the dtype is kept).

    Args:
        x: Input tensor.

    Returns:
        `x` with its fractional part removed.

    Example:

    >>> from lamina import ops
    >>> ops.trunc([-1.7, 1.7]).tolist()
    [-1.0, 1.0]
    """
    x = to_tensor(x)
    return x if x.dtype == torch.bool else torch.trunc(x)


@op
def cbrt(x: TensorLike) -> torch.Tensor:
    """Cube root, element-wise (negative inputs give negative roots).

    Args:
        x: Input tensor.

    Returns:
        `x ** (1/3)` with the sign of `x`; `int64` gives `float64`.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.cbrt([-8.0, 27.0]).tolist()]
    [-2.0, 3.0]
    """
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)


@op
def exp2(x: TensorLike) -> torch.Tensor:
    """`2 ** x`, element-wise (integers give `floatx()`).

    Args:
        x: Input tensor.

    Returns:
        `2 ** x`.

    Example:

    >>> from lamina import ops
    >>> ops.exp2([0, 3]).tolist()
    [1.0, 8.0]
    """
    return torch.exp2(_int_to_floatx(to_tensor(x)))


@op
def fabs(x: TensorLike) -> torch.Tensor:
    """Absolute value as a float, element-wise (integers give `floatx()`).

    Args:
        x: Input tensor.

    Returns:
        `|x|`, in a floating dtype.

    Example:

    >>> from lamina import ops
    >>> ops.fabs([-2, 3]).tolist()
    [2.0, 3.0]
    """
    return torch.abs(_int_to_floatx(to_tensor(x)))


@op
def signbit(x: TensorLike) -> torch.Tensor:
    """Whether the sign bit is set (true for `-0.0`), element-wise.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.signbit([-1.0, -0.0, 2.0]).tolist()
    [True, True, False]
    """
    return torch.signbit(to_tensor(x))


@op
def sinc(x: TensorLike) -> torch.Tensor:
    """Normalized sinc, `sin(pi x) / (pi x)`, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `sinc(x)` (1 at 0).

    Example:

    >>> from lamina import ops
    >>> ops.sinc([0.0]).tolist()
    [1.0]
    """
    return torch.sinc(to_tensor(x))


@op
def i0(x: TensorLike) -> torch.Tensor:
    """Modified Bessel function of the first kind, order 0, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `I0(x)`; `int64`/`float64` give `float64`, half floats are kept,
        the rest give `floatx()`.

    Example:

    >>> from lamina import ops
    >>> round(ops.i0([1.0]).item(), 4)
    1.2661
    """
    x = to_tensor(x)
    if x.dtype in (torch.int64, torch.float64):
        dtype = torch.float64
    elif x.dtype in (torch.float16, torch.bfloat16):
        dtype = x.dtype
    else:
        dtype = to_torch_dtype(config.floatx())
    return torch.i0(x.to(dtype))


@op
def nan_to_num(
    x: TensorLike,
    nan: float = 0.0,
    posinf: float | None = None,
    neginf: float | None = None,
) -> torch.Tensor:
    """Replace NaN and infinities with finite numbers.

    Args:
        x: Input tensor.
        nan: Value for NaN entries.
        posinf: Value for `+inf` (default: the dtype's largest value).
        neginf: Value for `-inf` (default: the dtype's lowest value).

    Returns:
        `x` with non-finite entries replaced; the dtype is kept.

    Example:

    >>> from lamina import ops
    >>> ops.nan_to_num([float("nan"), 1.0], nan=-1.0).tolist()
    [-1.0, 1.0]
    """
    return torch.nan_to_num(to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)
