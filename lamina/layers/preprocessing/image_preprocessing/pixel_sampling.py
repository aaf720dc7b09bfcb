"""Sampling a batch of images at per-pixel source coordinates, with
Keras's fill modes and interpolations (the sampler under the warps of
`affine.py`).

Sampling follows Keras's torch backend (`map_coordinates`, order 0 or 1)
pixel for pixel, but for the whole batch at once. Bilinear sampling with
the `constant`, `nearest`, `reflect` and `mirror` modes runs on
`F.grid_sample` (one fused kernel): its `zeros`, `border` and `reflection`
paddings give the same corner weights as Keras's index fixers, and a
constant `fill_value` is `grid_sample(x - fill) + fill`. Nearest sampling
and `wrap` (which `grid_sample` lacks) gather the corners directly.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

FILL_MODES = ("reflect", "wrap", "constant", "nearest", "mirror")
INTERPOLATIONS = ("nearest", "bilinear")

# Keras fill mode -> (grid_sample padding, align_corners): `reflect` is
# half-sample symmetric (about -0.5), `mirror` whole-sample (about 0).
GRID_PADDING = {
    "constant": ("zeros", False),
    "nearest": ("border", False),
    "reflect": ("reflection", False),
    "mirror": ("reflection", True),
}


def _fix_index(index: torch.Tensor, size: int, mode: str) -> torch.Tensor:
    if mode == "wrap":
        return torch.remainder(index, size)
    if mode in ("reflect", "mirror"):
        if mode == "reflect":  # half-sample symmetric: -1 -> 0
            period = 2 * size
            index = torch.remainder(index, period)
            return torch.where(index >= size, period - 1 - index, index)
        if size == 1:
            return torch.zeros_like(index)
        period = 2 * (size - 1)
        index = torch.remainder(index, period)
        return torch.where(index >= size, period - index, index)
    return index.clamp(0, size - 1)


def _gather_sample(x, x_in, y_in, order, fill_mode, fill_value):
    """`x` (B, C, H, W) sampled at (B, H', W') points, corner by corner."""
    batch, channels, height, width = x.shape
    flat = x.reshape(batch, channels, height * width)
    if order == 0:
        corners = [(torch.round(y_in), torch.round(x_in), None)]
    else:
        y0, x0 = torch.floor(y_in), torch.floor(x_in)
        wy, wx = y_in - y0, x_in - x0
        corners = [
            (y0, x0, (1 - wy) * (1 - wx)),
            (y0, x0 + 1, (1 - wy) * wx),
            (y0 + 1, x0, wy * (1 - wx)),
            (y0 + 1, x0 + 1, wy * wx),
        ]
    out = 0
    for yi, xi, weight in corners:
        yi, xi = yi.long(), xi.long()
        index = _fix_index(yi, height, fill_mode) * width + _fix_index(
            xi, width, fill_mode
        )
        index = index.reshape(batch, 1, -1).expand(-1, channels, -1)
        value = flat.gather(2, index).reshape(batch, channels, *yi.shape[1:])
        if fill_mode == "constant":
            valid = (yi >= 0) & (yi < height) & (xi >= 0) & (xi < width)
            value = torch.where(
                valid[:, None], value, value.new_tensor(float(fill_value))
            )
        out = out + (value if weight is None else weight[:, None] * value)
    return out


def _grid_sample(x, x_in, y_in, fill_mode, fill_value):
    align = GRID_PADDING[fill_mode][1]
    height, width = x.shape[-2:]
    if align:
        gx = x_in * (2.0 / max(width - 1, 1)) - 1.0
        gy = y_in * (2.0 / max(height - 1, 1)) - 1.0
    else:
        gx = (2.0 * x_in + 1.0) / width - 1.0
        gy = (2.0 * y_in + 1.0) / height - 1.0
    grid = torch.stack([gx, gy], dim=-1).to(x.dtype)
    return filled_grid_sample(x, grid, fill_mode, fill_value)


def filled_grid_sample(
    x: torch.Tensor, grid: torch.Tensor, fill_mode: str, fill_value: float
) -> torch.Tensor:
    """Bilinear `grid_sample` of NCHW `x` with Keras's fill mode; a
    constant fill other than zero is had by shifting the image so that
    torch's zero padding lands on it."""
    padding, align = GRID_PADDING[fill_mode]
    shift = float(fill_value) if fill_mode == "constant" else 0.0
    source = x - shift if shift else x
    out = F.grid_sample(
        source, grid, mode="bilinear", padding_mode=padding, align_corners=align
    )
    return out + shift if shift else out


def sample(
    images: torch.Tensor,
    x_in: torch.Tensor,
    y_in: torch.Tensor,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: str = "channels_last",
) -> torch.Tensor:
    """Sample a batch of images at per-pixel source coordinates."""
    x = images.permute(0, 3, 1, 2) if data_format == "channels_last" else images
    if x.device.type == "meta":
        out = x.new_empty((*x.shape[:2], *x_in.shape[1:]))
    elif (
        interpolation == "bilinear"
        and fill_mode in GRID_PADDING
        and x.is_floating_point()
    ):
        out = _grid_sample(x, x_in, y_in, fill_mode, fill_value)
    else:
        order = 0 if interpolation == "nearest" else 1
        out = _gather_sample(
            x.to(torch.float32), x_in, y_in, order, fill_mode, fill_value
        ).to(x.dtype)
    return out.permute(0, 2, 3, 1) if data_format == "channels_last" else out
