"""Complex-number ops: `real`, `imag`, `conj`/`conjugate`, `angle`,
`view_as_complex`, `view_as_real`.

Real inputs pass through where NumPy lets them (`real`, `conj`); `imag`
of a real tensor is zeros.
"""

from __future__ import annotations

import torch

from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def real(x: TensorLike) -> torch.Tensor:
    """The real part of `x`, element-wise.

    Args:
        x: Input tensor.

    Returns:
        The real part (real inputs are returned unchanged).

    Example:

    >>> import torch
    >>> from lamina import ops
    >>> ops.real(torch.tensor([1 + 2j])).tolist()
    [1.0]
    """
    return torch.real(to_tensor(x))


@op
def imag(x: TensorLike) -> torch.Tensor:
    """The imaginary part of `x`, element-wise.

    Args:
        x: Input tensor.

    Returns:
        The imaginary part (zeros for real inputs).

    Example:

    >>> import torch
    >>> from lamina import ops
    >>> ops.imag(torch.tensor([1 + 2j])).tolist()
    [2.0]
    """
    x = to_tensor(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


def _conj(x: TensorLike) -> torch.Tensor:
    return torch.conj(to_tensor(x)).resolve_conj()


@op
def conj(x: TensorLike) -> torch.Tensor:
    """The complex conjugate, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `x` with its imaginary part negated.

    Example:

    >>> import torch
    >>> from lamina import ops
    >>> ops.conj(torch.tensor([1 + 2j])).tolist()
    [(1-2j)]
    """
    return _conj(x)


@op
def conjugate(x: TensorLike) -> torch.Tensor:
    """The complex conjugate (alias of `conj`).

    Args:
        x: Input tensor.

    Returns:
        `x` with its imaginary part negated.

    Example:

    >>> from lamina import ops
    >>> ops.conjugate([1.0, -2.0]).tolist()
    [1.0, -2.0]
    """
    return _conj(x)


@op
def angle(x: TensorLike) -> torch.Tensor:
    """The argument (phase angle) of complex values, element-wise.

    Args:
        x: Input tensor (real inputs give 0 or pi).

    Returns:
        Angles in radians.

    Example:

    >>> import torch
    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.angle(torch.tensor([1j, 1.0])).tolist()]
    [1.5708, 0.0]
    """
    x = to_tensor(x)
    if x.dtype == torch.float16 and x.device.type != "cpu":
        return torch.angle(x.float()).to(torch.float16)
    return torch.angle(x)


@op
def view_as_complex(x: TensorLike) -> torch.Tensor:
    """Pairs along the last axis → complex numbers.

    Args:
        x: A real tensor whose last axis has size 2 (real, imaginary).

    Returns:
        A `complex64` tensor of shape `x.shape[:-1]`.

    Example:

    >>> from lamina import ops
    >>> ops.view_as_complex([[1.0, 2.0]]).tolist()
    [(1+2j)]
    """
    x = to_tensor(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(
            "Invalid value for argument `x` of ops.view_as_complex: "
            "expected a last axis of size 2 (real and imaginary parts). "
            f"Received: x.shape={tuple(x.shape)}"
        )
    return torch.complex(
        x[..., 0].to(torch.float32), x[..., 1].to(torch.float32)
    )


@op
def view_as_real(x: TensorLike) -> torch.Tensor:
    """Complex numbers → pairs (real, imaginary) along a new last axis.

    Args:
        x: A complex tensor.

    Returns:
        A real tensor of shape `x.shape + (2,)`.

    Example:

    >>> import torch
    >>> from lamina import ops
    >>> ops.view_as_real(torch.tensor([1 + 2j])).tolist()
    [[1.0, 2.0]]
    """
    x = to_tensor(x)
    return torch.stack((torch.real(x), imag(x)), dim=-1)
