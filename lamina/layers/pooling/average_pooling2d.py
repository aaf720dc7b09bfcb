"""`AveragePooling2D`: average pooling for 2D spatial data."""

from __future__ import annotations

from typing import Any

from lamina.layers.pooling.base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """Average pooling operation for 2D spatial data.

    Downsamples the input along rows and columns by taking the average value
    over a window of `pool_size` for each channel, the window shifted by
    `strides`. With `padding="same"` each window is averaged over its real
    entries only (the padding is not counted).

    The output size along each pooled axis is
    `floor((input_size - pool_size) / strides) + 1` with `"valid"`
    padding and `ceil(input_size / strides)` with `"same"`.

    Args:
        pool_size: int or tuple of 2 ints, the window size.
        strides: int, tuple of 2 ints, or None (defaults to
            `pool_size`): how far the window moves each step.
        padding: `"valid"` (no padding) or `"same"` (pad evenly, the odd
            one at the end, so the output has `ceil(size / strides)`
            steps), case-insensitive.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        - With `"channels_last"`:
          4D tensor with shape `(batch_size, height, width, channels)`.
        - With `"channels_first"`:
          4D tensor with shape `(batch_size, channels, height, width)`.

    Output shape:
        - With `"channels_last"`:
          4D tensor `(batch_size, pooled_height, pooled_width, channels)`.
        - With `"channels_first"`:
          4D tensor `(batch_size, channels, pooled_height, pooled_width)`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
    >>> y = lamina.layers.AveragePooling2D(pool_size=(2, 2))(x)
    >>> y[0, :, :, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """

    def __init__(
        self,
        pool_size: Any,
        strides: Any = None,
        padding: Any = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            pool_size,
            strides,
            rank=2,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )


# Keras's alias.
AvgPool2D = AveragePooling2D
