"""`BaseGlobalPooling`: max or average over every spatial axis."""

from __future__ import annotations

from typing import Any

from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.layers.pooling import pooling_utils as utils
import torch


class BaseGlobalPooling(Layer):
    """Reduces all spatial axes of the input with a maximum or a mean.

    The concrete layers (`GlobalMaxPooling1D/2D/3D`,
    `GlobalAveragePooling1D/2D/3D`) only fix `rank` and `pool_mode`.
    The reduction runs on the input as it is laid out (`amax` / `mean`
    over the spatial axes), so neither layout is copied.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        pool_mode: `"max"` or `"average"`.
        data_format: `"channels_last"` or `"channels_first"`; None means
            `lamina.config.image_data_format()`.
        keepdims: whether to keep the spatial axes with size 1.
    """

    def __init__(
        self,
        rank: int,
        pool_mode: Any,
        data_format: str | None = None,
        keepdims: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.data_format = utils.standardize_data_format(owner, data_format)
        self.keepdims = keepdims
        self.pool_mode = pool_mode
        first = 1 if self.data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + rank))
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.pool_mode == "max":
            return inputs.amax(dim=self._axes, keepdim=self.keepdims)
        return inputs.mean(dim=self._axes, keepdim=self.keepdims)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "data_format": self.data_format,
            "keepdims": self.keepdims,
        }

    def extra_repr(self) -> str:
        return f"data_format={self.data_format}, keepdims={self.keepdims}"
