"""`AdaptiveMaxPooling1D`: adaptive max pooling for temporal data."""

from __future__ import annotations

from typing import Any

from lamina.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Adaptive max pooling operation for temporal data.

    Pools the input to exactly `output_size` steps along each spatial
    axis, whatever the input size: output step `i` of an axis of size `n`
    pooled to `m` steps is the maximum of the input range
    `[floor(i * n / m), ceil((i + 1) * n / m))`. When `m` does not divide
    `n` the windows differ in size and may overlap.

    Args:
        output_size: an int or a tuple of 1 int, the output length.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        - With `"channels_last"`: 3D tensor `(batch_size, steps, channels)`.
        - With `"channels_first"`: 3D tensor `(batch_size, channels, steps)`.

    Output shape:
        - With `"channels_last"`: `(batch_size, output_steps, channels)`.
        - With `"channels_first"`: `(batch_size, channels, output_steps)`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(5.0).reshape(1, 5, 1)
    >>> y = lamina.layers.AdaptiveMaxPooling1D(2)(x)
    >>> y[0, :, 0].tolist()
    [2.0, 4.0]
    """

    def __init__(
        self, output_size: Any, data_format: str | None = None, **kwargs: Any
    ):
        super().__init__(
            output_size,
            rank=1,
            pool_mode="max",
            data_format=data_format,
            **kwargs,
        )
