"""`crop_images` and `pad_images` (`keras.ops.image`): each side given
directly, or inferred from a target size."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina.ops import _image as im
from lamina.ops._op import op
from lamina.typing import TensorLike


def _two_of(name: str, names: tuple, values: tuple) -> None:
    if values.count(None) != 1:
        given = ", ".join(f"{n}={v}" for n, v in zip(names, values))
        raise ValueError(
            f"ops.image.{name}: specify exactly two of {', '.join(names)}. "
            f"Received: {given}"
        )
    for n, v in zip(names, values):
        if v is not None and v < 0:
            raise ValueError(
                f"Invalid value for argument `{n}` of ops.image.{name}: "
                f"expected a value >= 0. Received: {n}={v}"
            )


def _non_negative(name: str, **values) -> None:
    for n, v in values.items():
        if v < 0:
            raise ValueError(
                f"ops.image.{name}: the inferred `{n}` is negative (the "
                f"image is too small or too large). Received: {n}={v}"
            )


def _hw(x: torch.Tensor, data_format: str) -> tuple:
    if data_format == "channels_last":
        return x.shape[-3], x.shape[-2]
    return x.shape[-2], x.shape[-1]


@op
def pad_images(
    images: TensorLike,
    top_padding: int | None = None,
    left_padding: int | None = None,
    bottom_padding: int | None = None,
    right_padding: int | None = None,
    target_height: int | None = None,
    target_width: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Zero-pad images: give two of `top_padding`, `bottom_padding`,
    `target_height`, and two of `left_padding`, `right_padding`,
    `target_width`.

    Example:

    >>> from lamina import ops
    >>> x = ops.ones((2, 2, 1))
    >>> tuple(ops.image.pad_images(x, 1, 1, target_height=5, target_width=4).shape)
    (5, 4, 1)
    """
    name = "pad_images"
    x = im.images_of(name, images)
    fmt = im.data_format_of(name, data_format)
    _two_of(
        name,
        ("top_padding", "bottom_padding", "target_height"),
        (top_padding, bottom_padding, target_height),
    )
    _two_of(
        name,
        ("left_padding", "right_padding", "target_width"),
        (left_padding, right_padding, target_width),
    )
    height, width = _hw(x, fmt)
    top = (
        target_height - bottom_padding - height
        if top_padding is None
        else top_padding
    )
    bottom = (
        target_height - top - height
        if bottom_padding is None
        else bottom_padding
    )
    left = (
        target_width - right_padding - width
        if left_padding is None
        else left_padding
    )
    right = (
        target_width - left - width if right_padding is None else right_padding
    )
    _non_negative(
        name,
        top_padding=top,
        bottom_padding=bottom,
        left_padding=left,
        right_padding=right,
    )
    pads = [0, 0] if fmt == "channels_last" else []
    return F.pad(x, pads + [left, right, top, bottom])


@op
def crop_images(
    images: TensorLike,
    top_cropping: int | None = None,
    left_cropping: int | None = None,
    bottom_cropping: int | None = None,
    right_cropping: int | None = None,
    target_height: int | None = None,
    target_width: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Crop images: give two of `top_cropping`, `bottom_cropping`,
    `target_height`, and two of `left_cropping`, `right_cropping`,
    `target_width`.

    Example:

    >>> from lamina import ops
    >>> x = ops.ones((5, 4, 1))
    >>> tuple(ops.image.crop_images(x, 1, 1, target_height=3, target_width=2).shape)
    (3, 2, 1)
    """
    name = "crop_images"
    x = im.images_of(name, images)
    fmt = im.data_format_of(name, data_format)
    _two_of(
        name,
        ("top_cropping", "bottom_cropping", "target_height"),
        (top_cropping, bottom_cropping, target_height),
    )
    _two_of(
        name,
        ("left_cropping", "right_cropping", "target_width"),
        (left_cropping, right_cropping, target_width),
    )
    height, width = _hw(x, fmt)
    top = (
        height - target_height - bottom_cropping
        if top_cropping is None
        else top_cropping
    )
    rows = (
        height - bottom_cropping - top
        if target_height is None
        else target_height
    )
    left = (
        width - target_width - right_cropping
        if left_cropping is None
        else left_cropping
    )
    cols = (
        width - right_cropping - left if target_width is None else target_width
    )
    _non_negative(
        name,
        top_cropping=top,
        target_height=rows,
        left_cropping=left,
        target_width=cols,
    )
    if fmt == "channels_last":
        return x[..., top : top + rows, left : left + cols, :]
    return x[..., top : top + rows, left : left + cols]
