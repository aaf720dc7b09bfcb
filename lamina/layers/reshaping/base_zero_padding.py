"""`BaseZeroPadding`: zero padding over 1, 2 or 3 spatial axes."""

from __future__ import annotations

from typing import Any

import torch.nn.functional as F

from lamina import config
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.layers.reshaping.spatial_utils import spatial_axes
from lamina.layers.reshaping.spatial_utils import standardize_pairs
import torch


class BaseZeroPadding(Layer):
    """Adds rows of zeros before and after each spatial axis.

    The concrete layers (`ZeroPadding1D/2D/3D`) only fix `rank` and their
    defaults.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        padding: an int, `rank` ints or `rank` `(before, after)` pairs
            (for `rank == 1`: an int or one pair).
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(
        self,
        rank: int,
        padding: Any,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = config.standardize_data_format(data_format)
        pairs = standardize_pairs(padding, rank, "padding", type(self).__name__)
        # Keras keeps the 1D padding as one pair, 2D/3D as pairs per axis.
        self.padding = pairs[0] if rank == 1 else pairs
        self._pad = _torch_pad(
            pairs, spatial_axes(rank, self.data_format), rank + 2
        )
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.pad(inputs, self._pad)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "padding": self.padding,
            "data_format": self.data_format,
        }

    def extra_repr(self) -> str:
        return f"padding={self.padding}, data_format={self.data_format}"


def _torch_pad(pairs, axes, ndim: int) -> list[int]:
    """`F.pad`'s flat list: pads for the last axis first, down to the first
    padded axis."""
    by_axis = dict(zip(axes, pairs))
    pad: list[int] = []
    for axis in range(ndim - 1, min(axes) - 1, -1):
        pad.extend(by_axis.get(axis, (0, 0)))
    return pad
