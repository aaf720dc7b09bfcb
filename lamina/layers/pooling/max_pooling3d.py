"""`MaxPooling3D`: maximum pooling for volumes (3 spatial axes)."""

from __future__ import annotations

from typing import Any

from lamina.layers.pooling.base_pooling import BasePooling


class MaxPooling3D(BasePooling):
    """Max pooling operation for 3D data (spatial or spatio-temporal).

    Downsamples the input along the three spatial axes by taking the maximum
    value over a window of `pool_size` for each channel, the window shifted
    by `strides`. With `padding="same"` the padding never wins the maximum
    (it counts as `-inf`).

    The output size along each pooled axis is
    `floor((input_size - pool_size) / strides) + 1` with `"valid"`
    padding and `ceil(input_size / strides)` with `"same"`.

    Args:
        pool_size: int or tuple of 3 ints, the window size.
        strides: int, tuple of 3 ints, or None (defaults to
            `pool_size`): how far the window moves each step.
        padding: `"valid"` (no padding) or `"same"` (pad evenly, the odd
            one at the end, so the output has `ceil(size / strides)`
            steps), case-insensitive.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        - With `"channels_last"`:
          5D tensor with shape
          `(batch_size, spatial_dim1, spatial_dim2, spatial_dim3, channels)`.
        - With `"channels_first"`:
          5D tensor with shape
          `(batch_size, channels, spatial_dim1, spatial_dim2, spatial_dim3)`.

    Output shape:
        - With `"channels_last"`:
          5D tensor
          `(batch_size, pooled_dim1, pooled_dim2, pooled_dim3, channels)`.
        - With `"channels_first"`:
          5D tensor
          `(batch_size, channels, pooled_dim1, pooled_dim2, pooled_dim3)`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(8.0).reshape(1, 2, 2, 2, 1)
    >>> y = lamina.layers.MaxPooling3D(pool_size=2)(x)
    >>> y.flatten().tolist()
    [7.0]
    """

    def __init__(
        self,
        pool_size: Any = (2, 2, 2),
        strides: Any = None,
        padding: Any = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            pool_size,
            strides,
            rank=3,
            pool_mode="max",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )


# Keras's alias.
MaxPool3D = MaxPooling3D
