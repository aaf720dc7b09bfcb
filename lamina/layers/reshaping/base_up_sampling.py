"""`BaseUpSampling`: repeats (or interpolates) along the spatial axes."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import config
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.layers.reshaping.spatial_utils import spatial_axes
from lamina.layers.reshaping.spatial_utils import standardize_tuple

# Keras's `ops.image.resize` on torch runs `F.interpolate` with
# `align_corners=False` and no antialiasing for these modes.
_INTERPOLATIONS = ("nearest", "bilinear", "bicubic")


class BaseUpSampling(Layer):
    """Scales each spatial axis by an integer factor.

    `"nearest"` repeats every entry `size[i]` times (exactly Keras's
    `ops.repeat`); `"bilinear"` and `"bicubic"` (2D only) resize with
    `F.interpolate(..., align_corners=False, antialias=False)`, which is
    what Keras's torch backend runs.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        size: an int or `rank` ints, the up-sampling factors.
        data_format: `"channels_last"` or `"channels_first"`.
        interpolation: `"nearest"`, or for `rank == 2` also `"bilinear"`
            or `"bicubic"`.
    """

    def __init__(
        self,
        rank: int,
        size: Any,
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank
        self.data_format = config.standardize_data_format(data_format)
        self.size = standardize_tuple(size, rank, "size", owner)
        interpolation = str(interpolation).lower()
        allowed = _INTERPOLATIONS if rank == 2 else _INTERPOLATIONS[:1]
        if interpolation not in allowed:
            raise ValueError(
                invalid_argument(
                    owner, "interpolation", f"one of {allowed}", interpolation
                )
            )
        self.interpolation = interpolation
        self._axes = spatial_axes(rank, self.data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.interpolation == "nearest":
            x = inputs
            for axis, factor in zip(self._axes, self.size):
                x = x.repeat_interleave(factor, dim=axis)
            return x
        return self._resize(inputs)

    def _resize(self, inputs):
        channels_last = self.data_format == "channels_last"
        # F.interpolate wants channels first.
        x = inputs.movedim(-1, 1) if channels_last else inputs
        out_size = [d * f for d, f in zip(x.shape[2:], self.size)]
        # As Keras: other dtypes are resized in float32, ints rounded back.
        if x.dtype not in (torch.float32, torch.float64):
            x = x.to(torch.float32)
        x = F.interpolate(
            x,
            size=out_size,
            mode=self.interpolation,
            align_corners=False,
            antialias=False,
        )
        if x.dtype != inputs.dtype:
            if not inputs.dtype.is_floating_point:
                x = x.round()
            x = x.to(inputs.dtype)
        return x.movedim(1, -1) if channels_last else x

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "size": self.size,
            "data_format": self.data_format,
        }

    def extra_repr(self) -> str:
        return f"size={self.size}, data_format={self.data_format}"
