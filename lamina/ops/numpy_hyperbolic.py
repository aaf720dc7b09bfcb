"""Inverse hyperbolic functions, angle conversions and the error-function
family (`erfc`, `erfinv`), element-wise.

Integer inputs give torch's default float, as Keras on torch does, except
`deg2rad`/`rad2deg`, where `int64` gives `float64`.
"""

from __future__ import annotations

import torch

from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def arccosh(x: TensorLike) -> torch.Tensor:
    """Inverse hyperbolic cosine, element-wise.

    Args:
        x: Input tensor (values >= 1 give real results).

    Returns:
        `arccosh(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.arccosh([1.0]).tolist()
    [0.0]
    """
    return torch.arccosh(to_tensor(x))


@op
def arcsinh(x: TensorLike) -> torch.Tensor:
    """Inverse hyperbolic sine, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `arcsinh(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.arcsinh([0.0]).tolist()
    [0.0]
    """
    return torch.arcsinh(to_tensor(x))


@op
def arctanh(x: TensorLike) -> torch.Tensor:
    """Inverse hyperbolic tangent, element-wise.

    Args:
        x: Input tensor (values in `(-1, 1)` give finite results).

    Returns:
        `arctanh(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.arctanh([0.0]).tolist()
    [0.0]
    """
    return torch.arctanh(to_tensor(x))


def _angle(torch_fn, x: TensorLike) -> torch.Tensor:
    x = to_tensor(x)
    out = torch_fn(x)
    return out.to(torch.float64) if x.dtype == torch.int64 else out


@op
def deg2rad(x: TensorLike) -> torch.Tensor:
    """Degrees to radians, element-wise.

    Args:
        x: Angles in degrees.

    Returns:
        The angles in radians.

    Example:

    >>> from lamina import ops
    >>> round(ops.deg2rad([180.0]).tolist()[0], 5)
    3.14159
    """
    return _angle(torch.deg2rad, x)


@op
def rad2deg(x: TensorLike) -> torch.Tensor:
    """Radians to degrees, element-wise.

    Args:
        x: Angles in radians.

    Returns:
        The angles in degrees.

    Example:

    >>> from lamina import ops
    >>> ops.rad2deg([0.0]).tolist()
    [0.0]
    """
    return _angle(torch.rad2deg, x)


@op
def erfc(x: TensorLike) -> torch.Tensor:
    """Complementary error function, `1 - erf(x)`, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `erfc(x)`, accurate for large `x`.

    Example:

    >>> from lamina import ops
    >>> ops.erfc([0.0]).tolist()
    [1.0]
    """
    return torch.erfc(to_tensor(x))


@op
def erfinv(x: TensorLike) -> torch.Tensor:
    """Inverse of the error function, element-wise.

    Args:
        x: Input tensor with values in `[-1, 1]`.

    Returns:
        `y` such that `erf(y) == x`.

    Example:

    >>> from lamina import ops
    >>> ops.erfinv([0.0]).tolist()
    [0.0]
    """
    return torch.erfinv(to_tensor(x))
