"""`resize` (`keras.ops.image.resize`), on `F.interpolate`.

Numerically Keras's torch backend: `"nearest"` is torch's
`nearest-exact`, bilinear and bicubic use half-pixel centers
(`align_corners=False`); integer images are resized in float32 and
rounded back.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina.errors import invalid_argument
from lamina.ops import _image as im
from lamina.ops._op import op
from lamina.typing import TensorLike

_MODES = {
    "bilinear": "bilinear",
    "nearest": "nearest-exact",
    "bicubic": "bicubic",
}


def _crop_to_aspect(x: torch.Tensor, size: tuple) -> torch.Tensor:
    height, width = x.shape[-2:]
    rows = max(min(height, int(width * size[0] / size[1])), 1)
    cols = max(min(width, int(height * size[1] / size[0])), 1)
    top, left = int((height - rows) / 2), int((width - cols) / 2)
    return x[..., top : top + rows, left : left + cols]


def _pad_to_aspect(
    x: torch.Tensor, size: tuple, fill_value: float
) -> torch.Tensor:
    height, width = x.shape[-2:]
    top = int((max(height, int(width * size[0] / size[1])) - height) / 2)
    left = int((max(width, int(height * size[1] / size[0])) - width) / 2)
    return F.pad(x, [left, left, top, top], value=fill_value)


def _check(interpolation, fill_mode, crop, pad, size) -> tuple:
    if interpolation in ("lanczos3", "lanczos5"):
        raise ValueError(
            "ops.image.resize: Lanczos interpolation is not supported on "
            "torch (as in Keras's torch backend). Received: "
            f"interpolation={interpolation!r}"
        )
    im.choice("resize", "interpolation", interpolation, _MODES)
    im.choice("resize", "fill_mode", fill_mode, ("constant",))
    if crop and pad:
        raise ValueError(
            "ops.image.resize: only one of `pad_to_aspect_ratio` and "
            "`crop_to_aspect_ratio` can be True. Received: both True"
        )
    try:
        size = tuple(int(s) for s in size)
    except TypeError:
        size = ()
    if len(size) != 2:
        raise ValueError(
            invalid_argument(
                "ops.image.resize",
                "size",
                "a tuple of two ints (height, width)",
                size,
            )
        )
    return size


@op
def resize(
    images: TensorLike,
    size: tuple,
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Resize images to `size`.

    Args:
        images: `(H, W, C)` or `(N, H, W, C)` (channels-first likewise).
        size: `(height, width)` of the output.
        interpolation: `"bilinear"`, `"nearest"` or `"bicubic"`.
        antialias: Filter when downsampling (bilinear and bicubic only).
        crop_to_aspect_ratio: Center-crop to the target aspect ratio
            first, so that nothing is distorted.
        pad_to_aspect_ratio: Pad (with `fill_value`) to the target aspect
            ratio first instead.
        fill_mode: Only `"constant"`.
        fill_value: The padding value for `pad_to_aspect_ratio`.
        data_format: `"channels_last"` or `"channels_first"`.

    Example:

    >>> from lamina import ops
    >>> tuple(ops.image.resize(ops.ones((2, 4, 6, 3)), (2, 3)).shape)
    (2, 2, 3, 3)
    """
    size = _check(
        interpolation,
        fill_mode,
        crop_to_aspect_ratio,
        pad_to_aspect_ratio,
        size,
    )
    x = im.images_of("resize", images)
    y, single = im.to_nchw(x, im.data_format_of("resize", data_format))
    dtype = y.dtype
    if dtype not in (torch.float32, torch.float64):
        y = y.float()
    if crop_to_aspect_ratio:
        y = _crop_to_aspect(y, size)
    elif pad_to_aspect_ratio:
        y = _pad_to_aspect(y, size, fill_value)
    smooth = interpolation in ("bilinear", "bicubic")
    y = F.interpolate(
        y,
        size=size,
        mode=_MODES[interpolation],
        align_corners=False if smooth else None,
        antialias=antialias and smooth,
    )
    if interpolation == "bicubic" and dtype == torch.uint8:
        y = y.clamp(0, 255)
    if y.dtype != dtype:
        y = (y if dtype.is_floating_point else torch.round(y)).to(dtype)
    return im.from_nchw(y, im.data_format_of("resize", data_format), single)
