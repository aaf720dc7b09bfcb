"""`ZeroPadding3D`: zero padding for volumes."""

from __future__ import annotations

from typing import Any

from lamina.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Zero-padding layer for 3D data (spatial or spatio-temporal).

    Args:
        padding: int, or tuple of 3 ints, or tuple of 3 tuples of 2 ints.
            - If int: the same symmetric padding is applied to depth,
              height, and width.
            - If tuple of 3 ints: interpreted as three different symmetric
              padding values for depth, height, and width:
              `(symmetric_dim1_pad, symmetric_dim2_pad, symmetric_dim3_pad)`.
            - If tuple of 3 tuples of 2 ints: interpreted as
              `((left_dim1_pad, right_dim1_pad), (left_dim2_pad,
              right_dim2_pad), (left_dim3_pad, right_dim3_pad))`.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        5D tensor: `(batch_size, first_axis_to_pad, second_axis_to_pad,
        third_axis_to_pad, depth)` with `"channels_last"`,
        `(batch_size, depth, first_axis_to_pad, second_axis_to_pad,
        third_axis_to_pad)` with `"channels_first"`.

    Output shape:
        5D tensor: `(batch_size, first_padded_axis, second_padded_axis,
        third_axis_to_pad, depth)` with `"channels_last"`,
        `(batch_size, depth, first_padded_axis, second_padded_axis,
        third_axis_to_pad)` with `"channels_first"`.

    Example:

    >>> import torch, lamina
    >>> x = torch.ones(1, 1, 2, 2, 3)
    >>> lamina.layers.ZeroPadding3D(padding=(1, (0, 1), 2))(x).shape
    torch.Size([1, 3, 3, 6, 3])
    """

    def __init__(
        self,
        padding: Any = ((1, 1), (1, 1), (1, 1)),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(3, padding, data_format=data_format, **kwargs)
