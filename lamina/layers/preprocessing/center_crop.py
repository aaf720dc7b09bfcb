"""`CenterCrop`: crop the central part of images."""

from __future__ import annotations

from typing import Any

from lamina import config as lamina_config
from lamina.engine.layer import Layer
from lamina.layers.preprocessing import image_utils
import torch


class CenterCrop(Layer):
    """A preprocessing layer which crops images.

    Crops the central `(height, width)` window of each image. An image
    smaller than the target on either side is instead cropped to the
    target aspect ratio and resized (bilinear), as Keras's
    `smart_resize` does. The output takes the layer's compute dtype.

    Args:
        height: int, the height of the output.
        width: int, the width of the output.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`
        for `"channels_last"`; channels first otherwise.

    Output shape:
        The input shape with the spatial sizes set to `(height, width)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.CenterCrop(2, 2)
    >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
    >>> layer(x)[0, :, :, 0].tolist()
    [[5.0, 6.0], [9.0, 10.0]]
    """

    def __init__(
        self,
        height: Any,
        width: Any,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        name = type(self).__name__
        self.height = image_utils.check_size(name, "height", height)
        self.width = image_utils.check_size(name, "width", width)
        self.data_format = lamina_config.standardize_data_format(data_format)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        image_utils.check_images(type(self).__name__, inputs)
        x = inputs.to(self._compute_torch_dtype)
        h_axis, w_axis = image_utils.spatial_axes(self.data_format)
        h_diff = x.shape[h_axis] - self.height
        w_diff = x.shape[w_axis] - self.width
        if h_diff < 0 or w_diff < 0:
            return image_utils.resize(
                x,
                (self.height, self.width),
                crop_to_aspect_ratio=True,
                data_format=self.data_format,
            )
        top, left = h_diff // 2, w_diff // 2
        x = x.narrow(x.ndim + h_axis, top, self.height)
        return x.narrow(x.ndim + w_axis, left, self.width)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "data_format": self.data_format,
            "height": self.height,
            "width": self.width,
        }
