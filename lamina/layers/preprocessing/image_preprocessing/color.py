"""Colour helpers of the augmentation layers, computing as Keras's torch
backend does (`ops.image.rgb_to_grayscale`, `rgb_to_hsv`, `hsv_to_rgb`,
`gaussian_blur`) so that the layers give Keras's numbers, and the value
range conversion every colour layer starts and ends with."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F


def channel_axis(data_format: str) -> int:
    return -1 if data_format == "channels_last" else -3


def transform_value_range(
    images: torch.Tensor,
    original_range: Any,
    target_range: Any,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """Map `images` linearly from `original_range` to `target_range`."""
    if (
        original_range[0] == target_range[0]
        and original_range[1] == target_range[1]
    ):
        return images
    images = images.to(dtype)
    low, high = (torch.tensor(v, dtype=dtype) for v in original_range)
    t_low, t_high = (torch.tensor(v, dtype=dtype) for v in target_range)
    images = (images - low) / (high - low)
    return images * (t_high - t_low) + t_low


def rgb_to_grayscale(
    images: torch.Tensor, data_format: str = "channels_last"
) -> torch.Tensor:
    """One luma channel (ITU-R 601 weights), kept as a size-1 axis."""
    axis = channel_axis(data_format)
    if images.shape[axis] == 1:
        return images.clone()
    r, g, b = images.unbind(dim=axis)
    return (0.2989 * r + 0.587 * g + 0.114 * b).to(images.dtype).unsqueeze(axis)


def rgb_to_hsv(
    images: torch.Tensor, data_format: str = "channels_last"
) -> torch.Tensor:
    axis = channel_axis(data_format)
    eps = torch.finfo(images.dtype).eps
    images = torch.where(images.abs() < eps, 0.0, images)
    r, g, b = images.unbind(dim=axis)
    value = torch.maximum(torch.maximum(r, g), b)
    spread = value - torch.minimum(torch.minimum(r, g), b)
    safe_value = torch.where(value > 0, value, 1.0)
    safe_spread = torch.where(spread > 0, spread, 1.0)
    saturation = torch.where(value > 0, spread / safe_value, 0.0)
    norm = 1.0 / (6.0 * safe_spread)
    hue = torch.where(
        value == g, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0
    )
    hue = torch.where(value == r, norm * (g - b), hue)
    hue = torch.where(spread > 0, hue, 0.0) + (hue < 0.0).to(hue.dtype)
    return torch.stack([hue, saturation, value], dim=axis)


def hsv_to_rgb(
    images: torch.Tensor, data_format: str = "channels_last"
) -> torch.Tensor:
    axis = channel_axis(data_format)
    hue, saturation, value = images.unbind(dim=axis)
    dh = torch.remainder(hue, 1.0) * 6.0
    dr = torch.clip((dh - 3.0).abs() - 1.0, 0.0, 1.0)
    dg = torch.clip(2.0 - (dh - 2.0).abs(), 0.0, 1.0)
    db = torch.clip(2.0 - (dh - 4.0).abs(), 0.0, 1.0)
    grey = 1.0 - saturation
    return torch.stack(
        [
            value * (grey + saturation * dr),
            value * (grey + saturation * dg),
            value * (grey + saturation * db),
        ],
        dim=axis,
    )


def _gaussian_kernel(size: int, sigma, dtype) -> torch.Tensor:
    x = torch.arange(size, dtype=dtype, device=sigma.device) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def gaussian_blur(
    images: torch.Tensor,
    kernel_size: Any = (3, 3),
    sigma: Any = (1.0, 1.0),
    data_format: str = "channels_last",
) -> torch.Tensor:
    """Depthwise Gaussian blur with zero padding of `kernel_size[0] // 2`
    on every side (as Keras's torch backend pads)."""
    sigma = torch.as_tensor(sigma, dtype=images.dtype, device=images.device)
    unbatched = images.ndim == 3
    x = images.unsqueeze(0) if unbatched else images
    if data_format == "channels_last":
        x = x.permute(0, 3, 1, 2)
    channels = x.shape[1]
    kernel = torch.outer(
        _gaussian_kernel(kernel_size[1], sigma[1], x.dtype),
        _gaussian_kernel(kernel_size[0], sigma[0], x.dtype),
    )
    kernel = kernel.expand(channels, 1, *kernel.shape)
    out = F.conv2d(x, kernel, padding=int(kernel_size[0] // 2), groups=channels)
    if data_format == "channels_last":
        out = out.permute(0, 2, 3, 1)
    return out.squeeze(0) if unbatched else out
