"""`GlobalAveragePooling2D`: the mean over the height and width axes."""

from __future__ import annotations

from typing import Any

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Global average pooling operation for 2D spatial data.

    Takes the mean of each channel over the height and width axes.

    Args:
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.
        keepdims: whether to keep the pooled axes, with size 1. Defaults to
            False (the pooled axes are dropped).

    Input shape:
        - With `"channels_last"`:
          4D tensor with shape `(batch_size, rows, cols, channels)`.
        - With `"channels_first"`:
          4D tensor with shape `(batch_size, channels, rows, cols)`.

    Output shape:
        - With `keepdims=False`: 2D tensor `(batch_size, channels)`.
        - With `keepdims=True`:
          `(batch_size, 1, 1, channels)` with `"channels_last"`,
          `(batch_size, channels, 1, 1)` with `"channels_first"`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(8.0).reshape(1, 2, 2, 2)
    >>> lamina.layers.GlobalAveragePooling2D()(x).tolist()
    [[3.0, 4.0]]
    >>> lamina.layers.GlobalAveragePooling2D(keepdims=True)(x).shape
    torch.Size([1, 1, 1, 2])
    """

    def __init__(
        self,
        data_format: str | None = None,
        keepdims: bool = False,
        **kwargs: Any,
    ):
        super().__init__(
            2, "average", data_format=data_format, keepdims=keepdims, **kwargs
        )


# Keras's alias.
GlobalAvgPool2D = GlobalAveragePooling2D
