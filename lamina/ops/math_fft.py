"""Fourier transforms (`keras.ops.fft`, `fft2`, `ifft2`, `rfft`,
`irfft`).

As in Keras, complex inputs and outputs of the transforms are pairs of
real tensors `(real, imag)`.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import format_shape
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


def complex_of(name: str, x: Any, min_rank: int = 1) -> torch.Tensor:
    """A `(real, imag)` pair of float tensors as one complex tensor."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"Invalid value for argument `x` of ops.{name}: expected a tuple"
            " of two tensors (real, imaginary). Received: "
            f"x of type {type(x).__name__}"
        )
    real = to_tensor(x[0])
    imag = to_tensor(x[1], device=real.device)
    if real.shape != imag.shape:
        raise ValueError(
            f"ops.{name}: the real and imaginary parts must have the same "
            f"shape. Received: x[0].shape={format_shape(real.shape)}, "
            f"x[1].shape={format_shape(imag.shape)}"
        )
    if not (real.dtype.is_floating_point and imag.dtype.is_floating_point):
        raise ValueError(
            f"ops.{name}: the real and imaginary parts must be float "
            f"tensors. Received: dtypes {real.dtype} and {imag.dtype}"
        )
    if real.ndim < min_rank:
        raise ValueError(
            f"ops.{name}: expected inputs of rank >= {min_rank}. Received: "
            f"x[0].shape={format_shape(real.shape)}"
        )
    return torch.complex(real, imag)


def _pair(z: torch.Tensor) -> tuple:
    return z.real, z.imag


@op
def fft(x: tuple) -> tuple:
    """Fast Fourier transform along the last axis.

    Args:
        x: `(real, imag)` float tensors of the same shape.

    Returns:
        `(real, imag)` of the transform.

    Example:

    >>> from lamina import ops
    >>> real, imag = ops.fft(([1.0, 0.0], [0.0, 0.0]))
    >>> real.tolist(), imag.tolist()
    ([1.0, 1.0], [0.0, 0.0])
    """
    return _pair(torch.fft.fft(complex_of("fft", x)))


@op
def fft2(x: tuple) -> tuple:
    """2-D fast Fourier transform over the last two axes.

    Example:

    >>> from lamina import ops
    >>> real, _ = ops.fft2(([[1.0, 0.0], [0.0, 0.0]], [[0.0] * 2] * 2))
    >>> real.tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    return _pair(torch.fft.fft2(complex_of("fft2", x, 2)))


@op
def ifft2(x: tuple) -> tuple:
    """Inverse 2-D fast Fourier transform over the last two axes.

    Example:

    >>> from lamina import ops
    >>> real, _ = ops.ifft2(([[4.0, 0.0], [0.0, 0.0]], [[0.0] * 2] * 2))
    >>> real.tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    return _pair(torch.fft.ifft2(complex_of("ifft2", x, 2)))


@op
def rfft(x: TensorLike, fft_length: int | None = None) -> tuple:
    """Real-input FFT along the last axis (`fft_length // 2 + 1` bins).

    Args:
        x: Real tensor.
        fft_length: Transform length (crops or zero-pads the input);
            defaults to the last axis's size.

    Example:

    >>> from lamina import ops
    >>> real, _ = ops.rfft([1.0, 1.0, 1.0, 1.0])
    >>> real.tolist()
    [4.0, 0.0, 0.0]
    """
    x = to_tensor(x)
    if x.ndim < 1:
        raise ValueError(
            "ops.rfft: expected an input of rank >= 1. Received: x.shape=()"
        )
    return _pair(torch.fft.rfft(x, n=fft_length, dim=-1))


@op
def irfft(x: tuple, fft_length: int | None = None) -> torch.Tensor:
    """Inverse of `rfft`: a real signal from `(real, imag)` bins.

    Example:

    >>> from lamina import ops
    >>> ops.irfft(([4.0, 0.0, 0.0], [0.0, 0.0, 0.0])).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    return torch.fft.irfft(complex_of("irfft", x), n=fft_length, dim=-1)
