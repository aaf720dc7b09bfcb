"""`ZeroPadding2D`: zero padding for images."""

from __future__ import annotations

from typing import Any

from lamina.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Zero-padding layer for 2D input (e.g. picture).

    Adds rows and columns of zeros at the top, bottom, left and right of an
    image tensor.

    Args:
        padding: int, or tuple of 2 ints, or tuple of 2 tuples of 2 ints.
            - If int: the same symmetric padding is applied to height and
              width.
            - If tuple of 2 ints: interpreted as two different symmetric
              padding values for height and width:
              `(symmetric_height_pad, symmetric_width_pad)`.
            - If tuple of 2 tuples of 2 ints: interpreted as
              `((top_pad, bottom_pad), (left_pad, right_pad))`.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        4D tensor: `(batch_size, height, width, channels)` with
        `"channels_last"`, `(batch_size, channels, height, width)` with
        `"channels_first"`.

    Output shape:
        4D tensor: `(batch_size, padded_height, padded_width, channels)`
        with `"channels_last"`, `(batch_size, channels, padded_height,
        padded_width)` with `"channels_first"`.

    Example:

    >>> import torch, lamina
    >>> x = torch.ones(1, 2, 2, 1)
    >>> y = lamina.layers.ZeroPadding2D(padding=1)(x)
    >>> y.shape
    torch.Size([1, 4, 4, 1])
    >>> y[0, :, 1, 0].tolist()
    [0.0, 1.0, 1.0, 0.0]
    """

    def __init__(
        self,
        padding: Any = (1, 1),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(2, padding, data_format=data_format, **kwargs)
