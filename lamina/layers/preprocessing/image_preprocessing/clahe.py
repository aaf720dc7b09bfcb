"""`ContrastLimitedAdaptiveHistogramEqualization` (CLAHE)."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
)


def _pad_symmetric(images, pad_h: int, pad_w: int):
    """Pad (B, H, W, C) at the bottom and right by mirroring, edge
    included (NumPy's `"symmetric"`)."""
    if pad_h:
        images = torch.cat([images, images[:, -pad_h:].flip(1)], dim=1)
    if pad_w:
        images = torch.cat([images, images[:, :, -pad_w:].flip(2)], dim=2)
    return images


def _tile_cdfs(padded, grid, tile, clip_limit):
    """Clipped, normalized cumulative histograms of every tile, edge
    tiles repeated once around: (B, gh + 2, gw + 2, C, 256)."""
    batch, _, _, channels = padded.shape
    (grid_h, grid_w), (tile_h, tile_w) = grid, tile
    tiles = padded.reshape(batch, grid_h, tile_h, grid_w, tile_w, channels)
    tiles = tiles.permute(0, 1, 3, 5, 2, 4).reshape(
        batch, grid_h, grid_w, channels, tile_h * tile_w
    )
    index = tiles.to(torch.int32).clip(0, 255).long()
    hists = torch.zeros(*index.shape[:-1], 256, device=padded.device)
    hists.scatter_add_(-1, index, torch.ones_like(index, dtype=hists.dtype))
    if clip_limit > 0:
        # Keras counts in integers, so its limit is truncated to one.
        limit = float(int(clip_limit * (tile_h * tile_w) / 256.0))
        clipped = hists.clip(0, limit)
        excess = (hists - clipped).sum(dim=-1, keepdim=True)
        hists = clipped + excess / 256.0
    cdf = hists.cumsum(dim=-1)
    cdf_min = cdf.amin(dim=-1, keepdim=True)
    denominator = float(tile_h * tile_w) - cdf_min
    denominator = torch.where(denominator == 0, 1.0, denominator)
    cdf = ((cdf - cdf_min) * 255.0 / denominator).clip(0, 255)
    cdf = torch.cat([cdf[:, :1], cdf, cdf[:, -1:]], dim=1)
    return torch.cat([cdf[:, :, :1], cdf, cdf[:, :, -1:]], dim=2)


def _grid_weights(size: int, tile: int, grid: int, device):
    """Lower/upper tile index and weight of every row (or column)."""
    pos = (
        torch.arange(size, dtype=torch.float32, device=device) - tile / 2.0
    ) / tile + 1.0
    low = torch.floor(pos)
    weight = pos - low
    return (
        low.clip(0, grid + 1).long(),
        (low + 1).clip(0, grid + 1).long(),
        weight,
    )


def clahe(
    images: torch.Tensor, clip_limit: float, tile_grid_size: Any
) -> torch.Tensor:
    """CLAHE of (B, H, W, C) images on the 0-255 scale, as Keras computes
    it: per-tile histograms, bilinear blend of the 4 nearest tiles."""
    batch, height, width, channels = images.shape
    grid_h, grid_w = tile_grid_size
    tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
    padded = _pad_symmetric(
        images, tile_h * grid_h - height, tile_w * grid_w - width
    )
    cdf = _tile_cdfs(padded, (grid_h, grid_w), (tile_h, tile_w), clip_limit)
    y0, y1, wy = _grid_weights(tile_h * grid_h, tile_h, grid_h, cdf.device)
    x0, x1, wx = _grid_weights(tile_w * grid_w, tile_w, grid_w, cdf.device)
    pixels = padded.clip(0, 255).to(torch.int32).long()
    b = torch.arange(batch, device=cdf.device)[:, None, None, None]
    c = torch.arange(channels, device=cdf.device)[None, None, None, :]

    def corner(ys, xs):
        return cdf[
            b, ys[None, :, None, None], xs[None, None, :, None], c, pixels
        ]

    wy, wx = wy[None, :, None, None], wx[None, None, :, None]
    top = corner(y0, x0) * (1.0 - wx) + corner(y0, x1) * wx
    bottom = corner(y1, x0) * (1.0 - wx) + corner(y1, x1) * wx
    out = top * (1.0 - wy) + bottom * wy
    return out[:, :height, :width, :]


class ContrastLimitedAdaptiveHistogramEqualization(ColorLayer):
    """Contrast Limited Adaptive Histogram Equalization (CLAHE).

    Equalizes each tile of a `tile_grid_size` grid with its own histogram,
    clipped at `clip_limit` times the mean bin count, truncated to an
    integer as in Keras (the excess spread evenly), and blends neighbouring tiles bilinearly. Deterministic: the
    same in training and inference.

    Args:
        value_range: the `[low, high]` range of the inputs.
        clip_limit: the histogram clip, relative to the mean bin count;
            0 or less disables clipping.
        tile_grid_size: `(rows, columns)` of tiles.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.ContrastLimitedAdaptiveHistogramEqualization(
    ...     tile_grid_size=(2, 2))
    >>> layer(torch.rand(1, 8, 8, 3) * 255).shape
    torch.Size([1, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        value_range: Sequence[float] = (0, 255),
        clip_limit: float = 4.0,
        tile_grid_size: Any = (8, 8),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        original_dtype = images.dtype
        if self.data_format == "channels_first":
            images = images.movedim(-3, -1)
        x = self._transform_value_range(images, self.value_range, (0, 255))
        x = clahe(x.to(torch.float32), self.clip_limit, self.tile_grid_size)
        x = self._transform_value_range(x, (0, 255), self.value_range)
        x = x.to(original_dtype)
        return x.movedim(-1, -3) if self.data_format == "channels_first" else x

    def get_config(self) -> dict:
        return {
            **super(ColorLayer, self).get_config(),
            "value_range": self.value_range,
            "clip_limit": self.clip_limit,
            "tile_grid_size": self.tile_grid_size,
        }
