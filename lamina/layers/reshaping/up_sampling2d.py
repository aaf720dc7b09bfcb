"""`UpSampling2D`: scales images up by integer factors."""

from __future__ import annotations

from typing import Any

from lamina.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling2D(BaseUpSampling):
    """Upsampling layer for 2D inputs.

    With `interpolation="nearest"` the rows and columns of the data are
    repeated `size[0]` and `size[1]` times. With `"bilinear"` (or
    `"bicubic"`) the image is resized to `(rows * size[0], cols * size[1])`
    by `F.interpolate` with `align_corners=False` and no antialiasing, the
    settings Keras's torch backend uses, so the numbers match Keras's.

    Args:
        size: int, or tuple of 2 integers. The upsampling factors for rows
            and columns.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.
        interpolation: `"nearest"`, `"bilinear"` or `"bicubic"`.

    Input shape:
        4D tensor: `(batch_size, rows, cols, channels)` with
        `"channels_last"`, `(batch_size, channels, rows, cols)` with
        `"channels_first"`.

    Output shape:
        4D tensor: `(batch_size, upsampled_rows, upsampled_cols, channels)`
        with `"channels_last"`, `(batch_size, channels, upsampled_rows,
        upsampled_cols)` with `"channels_first"`.

    Raises:
        ValueError: for a non-positive `size` or an unknown
            `interpolation`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(4.0).reshape(1, 2, 2, 1)
    >>> y = lamina.layers.UpSampling2D(size=(1, 2))(x)
    >>> y.shape
    torch.Size([1, 2, 4, 1])
    >>> y[0, :, :, 0].tolist()
    [[0.0, 0.0, 1.0, 1.0], [2.0, 2.0, 3.0, 3.0]]
    """

    def __init__(
        self,
        size: Any = (2, 2),
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ):
        super().__init__(
            2,
            size,
            data_format=data_format,
            interpolation=interpolation,
            **kwargs,
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "interpolation": self.interpolation}

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, interpolation={self.interpolation}"
