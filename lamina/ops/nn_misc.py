"""Two nn ops of their own kind: `polar` (complex numbers from polar
coordinates) and `psnr` (peak signal-to-noise ratio)."""

from __future__ import annotations

import torch

from lamina.errors import format_shape
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def polar(abs_: TensorLike, angle: TensorLike) -> torch.Tensor:
    """The complex numbers `abs_ * (cos(angle) + 1j * sin(angle))`.

    Example:

    >>> from lamina import ops
    >>> z = ops.polar([2.0], [0.0])
    >>> z.real.item(), z.imag.item()
    (2.0, 0.0)
    """
    magnitude = to_tensor(abs_)
    angle = to_tensor(angle, device=magnitude.device)
    return torch.complex(
        magnitude * torch.cos(angle), magnitude * torch.sin(angle)
    )


@op
def psnr(x1: TensorLike, x2: TensorLike, max_val: float) -> torch.Tensor:
    """Peak signal-to-noise ratio between two images, in dB:
    `20 * log10(max_val) - 10 * log10(mean((x1 - x2) ** 2))`.

    Args:
        x1: The first image (any shape).
        x2: The second image, the same shape.
        max_val: The largest possible pixel value (e.g. `1.0` or `255`).

    Returns:
        A scalar tensor.

    Example:

    >>> from lamina import ops
    >>> round(ops.psnr([0.0, 1.0], [0.0, 0.9], 1.0).item(), 2)
    23.01
    """
    x1 = to_tensor(x1)
    x2 = to_tensor(x2, device=x1.device)
    if x1.shape != x2.shape:
        raise ValueError(
            "ops.psnr: `x1` and `x2` must have the same shape. Received: "
            f"x1.shape={format_shape(x1.shape)}, "
            f"x2.shape={format_shape(x2.shape)}"
        )
    peak = to_tensor(max_val, dtype=x1.dtype, device=x1.device)
    mse = torch.mean((x1 - x2) ** 2)
    return 20 * torch.log10(peak) - 10 * torch.log10(mse)
