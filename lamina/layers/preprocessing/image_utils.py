"""Shared image helpers of the preprocessing family: argument checks and
the resize that `Resizing` and `CenterCrop` run (Keras's torch backend
`image.resize`, numerically)."""

from __future__ import annotations

from typing import Any

import numbers

import torch
import torch.nn.functional as F

from lamina.errors import format_shape
from lamina.errors import invalid_argument

# Keras name -> `F.interpolate` mode, as Keras's torch backend maps them.
INTERPOLATIONS = {
    "bilinear": "bilinear",
    "nearest": "nearest-exact",
    "bicubic": "bicubic",
}


def check_size(owner: str, arg: str, value: Any) -> int:
    """A positive integer size, else a ValueError naming `owner`/`arg`."""
    if (
        not isinstance(value, numbers.Integral)
        or isinstance(value, bool)
        or value < 1
    ):
        raise ValueError(invalid_argument(owner, arg, "a positive int", value))
    return int(value)


def check_images(owner: str, images: torch.Tensor) -> None:
    if images.ndim not in (3, 4):
        raise ValueError(
            f"{owner} expects rank 3 (single image) or rank 4 (batch of "
            "images) inputs. Received: inputs.shape="
            f"{format_shape(images.shape)}"
        )


def spatial_axes(data_format: str) -> tuple:
    """(height axis, width axis), counted from the end."""
    return (-2, -1) if data_format == "channels_first" else (-3, -2)


def _crop_box(height: int, width: int, size: tuple) -> tuple:
    target_h, target_w = size
    crop_h = max(min(height, int(float(width * target_h) / target_w)), 1)
    crop_w = max(min(width, int(float(height * target_w) / target_h)), 1)
    return (
        int(float(height - crop_h) / 2),
        int(float(width - crop_w) / 2),
        crop_h,
        crop_w,
    )


def _pad_to_aspect(x: torch.Tensor, size: tuple, fill_value: float):
    height, width = x.shape[-2], x.shape[-1]
    target_h, target_w = size
    pad_h = max(height, int(float(width * target_h) / target_w))
    pad_w = max(width, int(float(height * target_w) / target_h))
    top = int(float(pad_h - height) / 2)
    left = int(float(pad_w - width) / 2)
    # Keras pads the same amount on both sides.
    return F.pad(x, (left, left, top, top), value=float(fill_value))


def resize(
    images: torch.Tensor,
    size: tuple,
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_value: float = 0.0,
    data_format: str = "channels_last",
) -> torch.Tensor:
    """Resize a rank-3 or rank-4 float image tensor to `size`."""
    unbatched = images.ndim == 3
    x = images.unsqueeze(0) if unbatched else images
    if data_format == "channels_last":
        x = x.permute(0, 3, 1, 2)
    if crop_to_aspect_ratio:
        top, left, h, w = _crop_box(x.shape[-2], x.shape[-1], size)
        x = x[:, :, top : top + h, left : left + w]
    elif pad_to_aspect_ratio:
        x = _pad_to_aspect(x, size, fill_value)
    smooth = interpolation in ("bilinear", "bicubic")
    x = F.interpolate(
        x,
        size=tuple(size),
        mode=INTERPOLATIONS[interpolation],
        align_corners=False if smooth else None,
        antialias=bool(antialias) and smooth,
    )
    if data_format == "channels_last":
        x = x.permute(0, 2, 3, 1)
    return x.squeeze(0) if unbatched else x


def resized_shape(
    input_shape: tuple, height: int, width: int, data_format: str
) -> tuple:
    shape = list(input_shape)
    h_axis, w_axis = spatial_axes(data_format)
    shape[h_axis], shape[w_axis] = height, width
    return tuple(shape)
