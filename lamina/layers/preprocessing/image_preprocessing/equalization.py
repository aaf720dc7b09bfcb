"""`Equalization`: histogram equalization of each colour channel."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_value_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
)


def _scale(values, source, target):
    scale = (target[1] - target[0]) / (source[1] - source[0])
    return values * scale + (target[0] - source[0] * scale)


def equalize_channels(channels: Any, bins: int) -> torch.Tensor:
    """Equalize `channels` (C, N) on the 0-255 scale: one histogram per
    channel over all its N values (Keras pools the whole batch)."""
    count = channels.shape[0]
    index = (
        (channels.float() * (bins - 1) / 255.0)
        .to(torch.int32)
        .clamp(0, bins - 1)
        .long()
    )
    offset = torch.arange(count, device=channels.device)[:, None] * bins
    hist = torch.bincount(
        (index + offset).reshape(-1), minlength=count * bins
    ).reshape(count, bins)
    cdf = hist.cumsum(dim=1)
    big = torch.iinfo(cdf.dtype).max
    cdf_min = torch.where(cdf > 0, cdf, big).amin(dim=1, keepdim=True)
    denominator = cdf[:, -1:] - cdf_min
    denominator = torch.where(denominator == 0, 1, denominator)
    table = ((cdf - cdf_min) * 255 / denominator).round().clip(0, 255)
    lookup = (
        (channels / 255.0 * (bins - 1)).clip(0, bins - 1).to(torch.int32).long()
    )
    equalized = table.gather(1, lookup).to(channels.dtype)
    flat = (hist > 0).sum(dim=1, keepdim=True) <= 1
    return torch.where(flat, channels, equalized)


class Equalization(ColorLayer):
    """Preprocessing layer for histogram equalization on image channels.

    Spreads each channel's values over the value range through the
    cumulative histogram (with `bins` bins). Deterministic: the same in
    training and inference; as in Keras, one histogram per channel is
    taken over the whole batch.

    Args:
        value_range: the `[low, high]` range of the inputs.
        bins: the number of histogram bins.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> x = torch.tensor([[[[0.0], [0.0], [100.0], [200.0]]]])
    >>> lamina.layers.Equalization()(x)[0, 0, :, 0].tolist()
    [0.0, 0.0, 128.0, 255.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        value_range: Sequence[float] = (0, 255),
        bins: int = 256,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.bins = bins
        self.value_range = check_value_range("Equalization", value_range)

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        if not training:
            return images
        images = images.to(self._compute_torch_dtype)
        axis = -1 if self.data_format == "channels_last" else -3
        moved = images.movedim(axis, 0)
        channels = _scale(
            moved.reshape(moved.shape[0], -1), self.value_range, (0, 255)
        )
        equalized = _scale(
            equalize_channels(channels, self.bins), (0, 255), self.value_range
        )
        return (
            equalized.reshape(moved.shape)
            .movedim(0, axis)
            .to(self._compute_torch_dtype)
        )

    def get_config(self) -> dict:
        return {
            **super(ColorLayer, self).get_config(),
            "bins": self.bins,
            "value_range": self.value_range,
        }
