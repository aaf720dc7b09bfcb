"""`Flatten`: collapses every axis but the batch axis."""

from __future__ import annotations

from typing import Any

from lamina import config
from lamina.engine.layer import Layer
import torch


class Flatten(Layer):
    """Flattens the input; the batch axis is kept.

    With `data_format="channels_first"`, the channel axis is moved last
    first, so the flattened order matches a channels-last model's (and
    weights trained with either layout line up). An input of shape
    `(batch,)` becomes `(batch, 1)`.

    Args:
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        `(batch, ...)`.

    Output shape:
        `(batch, product of the other axes)`.

    Example:

    >>> import torch, lamina
    >>> lamina.layers.Flatten()(torch.zeros(2, 3, 4)).shape
    torch.Size([2, 12])
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = inputs
        if self.data_format == "channels_first" and x.ndim > 2:
            x = x.movedim(1, -1)
        return x.reshape(x.shape[0], -1)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}

    def extra_repr(self) -> str:
        return f"data_format={self.data_format}"
