"""`UpSampling3D`: repeats entries of volumes."""

from __future__ import annotations

from typing import Any

from lamina.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Upsampling layer for 3D inputs.

    Repeats the 1st, 2nd and 3rd dimensions of the data by `size[0]`,
    `size[1]` and `size[2]` respectively.

    Args:
        size: int, or tuple of 3 integers. The upsampling factors for dim1,
            dim2 and dim3.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        5D tensor: `(batch_size, dim1, dim2, dim3, channels)` with
        `"channels_last"`, `(batch_size, channels, dim1, dim2, dim3)` with
        `"channels_first"`.

    Output shape:
        5D tensor: `(batch_size, upsampled_dim1, upsampled_dim2,
        upsampled_dim3, channels)` with `"channels_last"`,
        `(batch_size, channels, upsampled_dim1, upsampled_dim2,
        upsampled_dim3)` with `"channels_first"`.

    Raises:
        ValueError: for a non-positive `size`.

    Example:

    >>> import torch, lamina
    >>> x = torch.zeros(2, 1, 2, 1, 3)
    >>> lamina.layers.UpSampling3D(size=(2, 1, 3))(x).shape
    torch.Size([2, 2, 2, 3, 3])
    """

    def __init__(
        self,
        size: Any = (2, 2, 2),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(3, size, data_format=data_format, **kwargs)
