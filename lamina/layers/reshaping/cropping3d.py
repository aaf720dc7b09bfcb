"""`Cropping3D`: crops volumes."""

from __future__ import annotations

from typing import Any

from lamina.layers.reshaping.base_cropping import BaseCropping


class Cropping3D(BaseCropping):
    """Cropping layer for 3D data (e.g. spatial or spatio-temporal).

    Args:
        cropping: int, or tuple of 3 ints, or tuple of 3 tuples of 2 ints.
            - If int: the same symmetric cropping is applied to depth,
              height, and width.
            - If tuple of 3 ints: interpreted as three different symmetric
              cropping values for depth, height, and width:
              `(symmetric_dim1_crop, symmetric_dim2_crop,
              symmetric_dim3_crop)`.
            - If tuple of 3 tuples of 2 ints: interpreted as
              `((left_dim1_crop, right_dim1_crop), (left_dim2_crop,
              right_dim2_crop), (left_dim3_crop, right_dim3_crop))`.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        5D tensor: `(batch_size, first_axis_to_crop, second_axis_to_crop,
        third_axis_to_crop, channels)` with `"channels_last"`,
        `(batch_size, channels, first_axis_to_crop, second_axis_to_crop,
        third_axis_to_crop)` with `"channels_first"`.

    Output shape:
        5D tensor: `(batch_size, first_cropped_axis, second_cropped_axis,
        third_cropped_axis, channels)` with `"channels_last"`,
        `(batch_size, channels, first_cropped_axis, second_cropped_axis,
        third_cropped_axis)` with `"channels_first"`.

    Raises:
        ValueError: when the cropping leaves an axis empty.

    Example:

    >>> import torch, lamina
    >>> x = torch.zeros(2, 28, 28, 10, 3)
    >>> lamina.layers.Cropping3D(cropping=(2, 4, 2))(x).shape
    torch.Size([2, 24, 20, 6, 3])
    """

    def __init__(
        self,
        cropping: Any = ((1, 1), (1, 1), (1, 1)),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(3, cropping, data_format=data_format, **kwargs)
