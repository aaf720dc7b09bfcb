"""Color-space ops: `rgb_to_grayscale`, `rgb_to_hsv`, `hsv_to_rgb`
(`keras.ops.image`). Hue, saturation and value lie in `[0, 1]`."""

from __future__ import annotations

import torch

from lamina.errors import format_shape
from lamina.ops import _image as im
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def rgb_to_grayscale(
    images: TensorLike, data_format: str | None = None
) -> torch.Tensor:
    """Luma (ITU-R 601: `0.2989 R + 0.587 G + 0.114 B`) of RGB images, as
    one channel; one-channel images come back unchanged.

    Example:

    >>> from lamina import ops
    >>> x = ops.ones((2, 2, 3))
    >>> tuple(ops.image.rgb_to_grayscale(x).shape)
    (2, 2, 1)
    """
    x = im.images_of("rgb_to_grayscale", images)
    axis = im.channel_axis(im.data_format_of("rgb_to_grayscale", data_format))
    if x.shape[axis] not in (1, 3):
        raise ValueError(
            "Invalid value for argument `images` of "
            "ops.image.rgb_to_grayscale: expected 3 (RGB) or 1 (grayscale) "
            f"channels. Received: images.shape={format_shape(x.shape)}"
        )
    if x.shape[axis] == 1:
        return x.clone()
    r, g, b = x.unbind(dim=axis)
    return (0.2989 * r + 0.587 * g + 0.114 * b).to(x.dtype).unsqueeze(axis)


@op
def rgb_to_hsv(
    images: TensorLike, data_format: str | None = None
) -> torch.Tensor:
    """Convert float RGB images to HSV.

    Example:

    >>> from lamina import ops
    >>> ops.image.rgb_to_hsv([[[1.0, 0.0, 0.0]]]).tolist()
    [[[0.0, 1.0, 1.0]]]
    """
    x = im.float_images("rgb_to_hsv", images)
    axis = im.channel_axis(im.data_format_of("rgb_to_hsv", data_format))
    eps = torch.finfo(x.dtype).eps
    x = torch.where(torch.abs(x) < eps, 0.0, x)
    r, g, b = x.unbind(dim=axis)
    value = torch.maximum(torch.maximum(r, g), b)
    spread = value - torch.minimum(torch.minimum(r, g), b)
    saturation = torch.where(
        value > 0, spread / torch.where(value > 0, value, 1.0), 0.0
    )
    norm = 1.0 / (6.0 * torch.where(spread > 0, spread, 1.0))
    hue = torch.where(
        value == g, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0
    )
    hue = torch.where(value == r, norm * (g - b), hue)
    hue = torch.where(spread > 0, hue, 0.0) + (hue < 0.0).to(hue.dtype)
    return torch.stack((hue, saturation, value), dim=axis)


@op
def hsv_to_rgb(
    images: TensorLike, data_format: str | None = None
) -> torch.Tensor:
    """Convert float HSV images to RGB.

    Example:

    >>> from lamina import ops
    >>> ops.image.hsv_to_rgb([[[0.0, 1.0, 1.0]]]).tolist()
    [[[1.0, 0.0, 0.0]]]
    """
    x = im.float_images("hsv_to_rgb", images)
    axis = im.channel_axis(im.data_format_of("hsv_to_rgb", data_format))
    hue, saturation, value = x.unbind(dim=axis)
    sector = torch.remainder(hue, 1.0) * 6.0
    red = torch.clip(torch.abs(sector - 3.0) - 1.0, 0.0, 1.0)
    green = torch.clip(2.0 - torch.abs(sector - 2.0), 0.0, 1.0)
    blue = torch.clip(2.0 - torch.abs(sector - 4.0), 0.0, 1.0)
    grey = 1.0 - saturation
    planes = [value * (grey + saturation * c) for c in (red, green, blue)]
    return torch.stack(planes, dim=axis)
