"""`AdaptiveMaxPooling2D`: adaptive max pooling for 2D spatial data."""

from __future__ import annotations

from typing import Any

from lamina.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Adaptive max pooling operation for 2D spatial data.

    Pools the input to exactly `output_size` steps along each spatial
    axis, whatever the input size: output step `i` of an axis of size `n`
    pooled to `m` steps is the maximum of the input range
    `[floor(i * n / m), ceil((i + 1) * n / m))`. When `m` does not divide
    `n` the windows differ in size and may overlap.

    Args:
        output_size: an int or a tuple of 2 ints, the output
            `(height, width)`; an int is used for both.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        - With `"channels_last"`: 4D tensor `(batch_size, height, width, channels)`.
        - With `"channels_first"`: 4D tensor `(batch_size, channels, height, width)`.

    Output shape:
        - With `"channels_last"`: `(batch_size, output_height, output_width, channels)`.
        - With `"channels_first"`: `(batch_size, channels, output_height, output_width)`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
    >>> y = lamina.layers.AdaptiveMaxPooling2D(2)(x)
    >>> y[0, :, :, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """

    def __init__(
        self, output_size: Any, data_format: str | None = None, **kwargs: Any
    ):
        super().__init__(
            output_size,
            rank=2,
            pool_mode="max",
            data_format=data_format,
            **kwargs,
        )
