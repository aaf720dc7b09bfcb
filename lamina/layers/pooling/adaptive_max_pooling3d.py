"""`AdaptiveMaxPooling3D`: adaptive max pooling for 3D spatial data."""

from __future__ import annotations

from typing import Any

from lamina.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Adaptive max pooling operation for 3D spatial data.

    Pools the input to exactly `output_size` steps along each spatial
    axis, whatever the input size: output step `i` of an axis of size `n`
    pooled to `m` steps is the maximum of the input range
    `[floor(i * n / m), ceil((i + 1) * n / m))`. When `m` does not divide
    `n` the windows differ in size and may overlap.

    Args:
        output_size: an int or a tuple of 3 ints, the output
            `(depth, height, width)`; an int is used for all three.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        - With `"channels_last"`: 5D tensor `(batch_size, dim1, dim2, dim3, channels)`.
        - With `"channels_first"`: 5D tensor `(batch_size, channels, dim1, dim2, dim3)`.

    Output shape:
        - With `"channels_last"`: `(batch_size, out1, out2, out3, channels)`.
        - With `"channels_first"`: `(batch_size, channels, out1, out2, out3)`.

    Example:

    >>> import torch, lamina
    >>> x = torch.rand(2, 9, 8, 7, 3)
    >>> lamina.layers.AdaptiveMaxPooling3D((2, 3, 4))(x).shape
    torch.Size([2, 2, 3, 4, 3])
    """

    def __init__(
        self, output_size: Any, data_format: str | None = None, **kwargs: Any
    ):
        super().__init__(
            output_size,
            rank=3,
            pool_mode="max",
            data_format=data_format,
            **kwargs,
        )
