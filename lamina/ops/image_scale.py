"""`scale_and_translate` (`keras.ops.image`, after
`jax.image.scale_and_translate`): separable resampling with a linear,
Keys cubic or Lanczos kernel, one weight matrix per spatial axis."""

from __future__ import annotations

import math

import numpy as np
import torch

from lamina.ops import _image as im
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike

_METHODS = {
    "linear": "linear",
    "bilinear": "linear",
    "trilinear": "linear",
    "cubic": "cubic",
    "bicubic": "cubic",
    "tricubic": "cubic",
    "lanczos3": "lanczos3",
    "lanczos5": "lanczos5",
}


def _triangle(x: torch.Tensor) -> torch.Tensor:
    return torch.clamp(1 - torch.abs(x), min=0)


def _keys_cubic(x: torch.Tensor) -> torch.Tensor:
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return torch.where(x >= 2.0, 0.0, torch.where(x >= 1.0, far, near))


def _lanczos(radius: float, x: torch.Tensor) -> torch.Tensor:
    y = radius * torch.sin(math.pi * x) * torch.sin(math.pi * x / radius)
    safe = torch.where(x != 0, math.pi**2 * x**2, 1)
    out = torch.where(x > 1e-3, y / safe, 1)
    return torch.where(x > radius, 0.0, out)


_KERNELS = {
    "linear": _triangle,
    "cubic": _keys_cubic,
    "lanczos3": lambda x: _lanczos(3.0, x),
    "lanczos5": lambda x: _lanczos(5.0, x),
}


def _weights(in_size, out_size, scale, shift, kernel, antialias, dtype):
    """`(in_size, out_size)`: how much each input pixel feeds each output
    pixel; output pixels whose center falls outside the input get 0."""
    inv = 1.0 / scale
    widen = torch.clamp(inv, min=1.0) if antialias else 1.0
    centers = (
        (torch.arange(out_size, dtype=dtype, device=scale.device) + 0.5) * inv
        - shift * inv
        - 0.5
    )
    pixels = torch.arange(in_size, dtype=dtype, device=scale.device)
    w = kernel(torch.abs(centers[None] - pixels[:, None]) / widen)
    total = w.sum(dim=0, keepdim=True)
    tiny = 1000.0 * float(np.finfo(np.float32).eps)
    w = torch.where(
        torch.abs(total) > tiny, w / torch.where(total != 0, total, 1), 0
    )
    inside = (centers >= -0.5) & (centers <= in_size - 0.5)
    return torch.where(inside[None], w, 0)


@op
def scale_and_translate(
    images: TensorLike,
    output_shape: tuple,
    scale: TensorLike,
    translation: TensorLike,
    spatial_dims: tuple,
    method: str,
    antialias: bool = True,
) -> torch.Tensor:
    """Resample `images` along `spatial_dims`: output pixel `o` samples
    the input at `(o + 0.5 - translation) / scale - 0.5`.

    Args:
        images: Any-rank tensor.
        output_shape: The full output shape.
        scale: One scale per spatial dim.
        translation: One translation per spatial dim.
        spatial_dims: The axes to resample.
        method: `"linear"`/`"bilinear"`/`"trilinear"`, `"cubic"`/
            `"bicubic"`/`"tricubic"`, `"lanczos3"` or `"lanczos5"`.
        antialias: Widen the kernel when downsampling.

    Example:

    >>> from lamina import ops
    >>> x = ops.reshape(ops.arange(4.0), (1, 4))
    >>> ops.image.scale_and_translate(x, (1, 2), [0.5], [0.0], (1,),
    ...                               "linear", antialias=False).tolist()
    [[0.5, 2.5]]
    """
    im.choice("scale_and_translate", "method", method, _METHODS)
    kernel = _KERNELS[_METHODS[method]]
    x = to_tensor(images)
    scale = to_tensor(scale, device=x.device)
    translation = to_tensor(translation, device=x.device)
    dtype = to_torch_dtype(result_type(scale.dtype, translation.dtype))
    scale, translation = scale.to(dtype), translation.to(dtype)
    integer = not x.dtype.is_floating_point
    out = x.float() if integer else x
    for i, axis in enumerate(spatial_dims):
        axis = axis % x.ndim
        w = _weights(
            x.shape[axis],
            output_shape[axis],
            scale[i],
            translation[i],
            kernel,
            antialias,
            dtype,
        ).to(out.dtype)
        out = torch.tensordot(out, w, dims=([axis], [0])).movedim(-1, axis)
    if integer:
        out = torch.clip(torch.round(out), x.min(), x.max()).to(x.dtype)
    return out
