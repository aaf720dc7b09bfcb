"""Argument checks and layout helpers shared by the image ops."""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import format_shape
from lamina.errors import invalid_argument
from lamina.ops import _window as w
from lamina.ops._convert import to_tensor


def images_of(name: str, images: Any, arg: str = "images") -> torch.Tensor:
    """`images` as a tensor of rank 3 (one image) or 4 (a batch)."""
    x = to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"Invalid value for argument `{arg}` of ops.image.{name}: "
            "expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received: {arg}.shape={format_shape(x.shape)}"
        )
    return x


def choice(name: str, arg: str, value: Any, allowed) -> Any:
    if value not in allowed:
        raise ValueError(
            invalid_argument(
                f"ops.image.{name}", arg, f"one of {tuple(allowed)}", value
            )
        )
    return value


def float_images(name: str, images: Any) -> torch.Tensor:
    x = images_of(name, images)
    if not x.dtype.is_floating_point:
        raise ValueError(
            f"Invalid value for argument `images` of ops.image.{name}: "
            f"expected a float dtype. Received: images.dtype="
            f"{str(x.dtype).removeprefix('torch.')}"
        )
    return x


def to_nchw(x: torch.Tensor, data_format: str) -> tuple:
    """A batched channels-first view of `x`, and whether `x` was a single
    image."""
    single = x.ndim == 3
    x = x[None] if single else x
    return w.to_channels_first(x, data_format), single


def from_nchw(y: torch.Tensor, data_format: str, single: bool) -> torch.Tensor:
    y = w.from_channels_first(y, data_format)
    return y[0] if single else y


def channel_axis(data_format: str) -> int:
    return -1 if data_format == "channels_last" else -3


def data_format_of(name: str, data_format: Any) -> str:
    return w.data_format_of(f"image.{name}", data_format)
