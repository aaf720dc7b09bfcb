"""`ZeroPadding1D`: zero padding for temporal (1D) data."""

from __future__ import annotations

from typing import Any

from lamina.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Zero-padding layer for 1D input (e.g. temporal sequence).

    Adds zeros at the start and the end of the steps axis.

    Args:
        padding: int, or tuple of 2 ints.
            - If int: how many zeros to add at the beginning and the end of
              the padding dimension (axis 1).
            - If tuple of 2 ints: how many zeros to add at the beginning and
              the end of the padding dimension (`(left_pad, right_pad)`).
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.
            `"channels_last"` means inputs of shape
            `(batch, steps, features)`, `"channels_first"` inputs of shape
            `(batch, features, steps)`.

    Input shape:
        3D tensor: `(batch_size, axis_to_pad, features)` with
        `"channels_last"`, `(batch_size, features, axis_to_pad)` with
        `"channels_first"`.

    Output shape:
        3D tensor: `(batch_size, padded_axis, features)` with
        `"channels_last"`, `(batch_size, features, padded_axis)` with
        `"channels_first"`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(6.0).reshape(2, 3, 1)
    >>> y = lamina.layers.ZeroPadding1D(padding=(1, 2))(x)
    >>> y.shape
    torch.Size([2, 6, 1])
    >>> y[0, :, 0].tolist()
    [0.0, 0.0, 1.0, 2.0, 0.0, 0.0]
    """

    def __init__(
        self, padding: Any = 1, data_format: str | None = None, **kwargs: Any
    ):
        super().__init__(1, padding, data_format=data_format, **kwargs)
