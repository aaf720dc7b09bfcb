"""`GlobalMaxPooling3D`: the maximum over the three spatial axes."""

from __future__ import annotations

from typing import Any

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Global max pooling operation for 3D data.

    Takes the maximum of each channel over the three spatial axes.

    Args:
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.
        keepdims: whether to keep the pooled axes, with size 1. Defaults to
            False (the pooled axes are dropped).

    Input shape:
        - With `"channels_last"`: 5D tensor with shape
          `(batch_size, spatial_dim1, spatial_dim2, spatial_dim3, channels)`.
        - With `"channels_first"`: 5D tensor with shape
          `(batch_size, channels, spatial_dim1, spatial_dim2, spatial_dim3)`.

    Output shape:
        - With `keepdims=False`: 2D tensor `(batch_size, channels)`.
        - With `keepdims=True`:
          `(batch_size, 1, 1, 1, channels)` with `"channels_last"`,
          `(batch_size, channels, 1, 1, 1)` with `"channels_first"`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(16.0).reshape(1, 2, 2, 2, 2)
    >>> lamina.layers.GlobalMaxPooling3D()(x).tolist()
    [[14.0, 15.0]]
    >>> lamina.layers.GlobalMaxPooling3D(keepdims=True)(x).shape
    torch.Size([1, 1, 1, 1, 2])
    """

    def __init__(
        self,
        data_format: str | None = None,
        keepdims: bool = False,
        **kwargs: Any,
    ):
        super().__init__(
            3, "max", data_format=data_format, keepdims=keepdims, **kwargs
        )


# Keras's alias.
GlobalMaxPool3D = GlobalMaxPooling3D
