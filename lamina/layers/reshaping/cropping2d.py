"""`Cropping2D`: crops images."""

from __future__ import annotations

from typing import Any

from lamina.layers.reshaping.base_cropping import BaseCropping


class Cropping2D(BaseCropping):
    """Cropping layer for 2D input (e.g. picture).

    It crops along spatial dimensions, i.e. height and width.

    Args:
        cropping: int, or tuple of 2 ints, or tuple of 2 tuples of 2 ints.
            - If int: the same symmetric cropping is applied to height and
              width.
            - If tuple of 2 ints: interpreted as two different symmetric
              cropping values for height and width:
              `(symmetric_height_crop, symmetric_width_crop)`.
            - If tuple of 2 tuples of 2 ints: interpreted as
              `((top_crop, bottom_crop), (left_crop, right_crop))`.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        4D tensor: `(batch_size, height, width, channels)` with
        `"channels_last"`, `(batch_size, channels, height, width)` with
        `"channels_first"`.

    Output shape:
        4D tensor: `(batch_size, cropped_height, cropped_width, channels)`
        with `"channels_last"`, `(batch_size, channels, cropped_height,
        cropped_width)` with `"channels_first"`.

    Raises:
        ValueError: when the cropping leaves no rows or no columns.

    Example:

    >>> import torch, lamina
    >>> x = torch.zeros(2, 28, 28, 3)
    >>> lamina.layers.Cropping2D(cropping=((2, 2), (4, 4)))(x).shape
    torch.Size([2, 24, 20, 3])
    """

    def __init__(
        self,
        cropping: Any = ((0, 0), (0, 0)),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(2, cropping, data_format=data_format, **kwargs)
