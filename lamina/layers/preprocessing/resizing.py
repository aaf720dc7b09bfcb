"""`Resizing`: resize images to a target height and width."""

from __future__ import annotations

from typing import Any

from lamina import config as lamina_config
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.layers.preprocessing import image_utils
import torch


class Resizing(Layer):
    """A preprocessing layer which resizes images.

    Resizes a batch of images (rank 4) or a single image (rank 3) to
    `(height, width)`, computing as Keras's torch backend does
    (`F.interpolate` with `align_corners=False` for the smooth modes and
    `"nearest-exact"` for `"nearest"`). The output takes the layer's
    compute dtype.

    Args:
        height: int, the height of the output.
        width: int, the width of the output.
        interpolation: `"bilinear"`, `"nearest"` or `"bicubic"`.
        crop_to_aspect_ratio: if `True`, first crop the largest centered
            window with the target aspect ratio, so that nothing is
            distorted.
        pad_to_aspect_ratio: if `True`, first pad the images evenly on both
            sides to the target aspect ratio, with `fill_value`.
        fill_mode: how padding is filled; only `"constant"`.
        fill_value: the padding value with `pad_to_aspect_ratio=True`.
        antialias: whether to use an antialiasing filter when downsampling
            (bilinear and bicubic only).
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`
        for `"channels_last"`; channels first otherwise.

    Output shape:
        The input shape with the spatial sizes set to `(height, width)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Resizing(2, 2, interpolation="nearest")
    >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
    >>> layer(x)[0, :, :, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """

    def __init__(
        self,
        height: Any,
        width: Any,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        pad_to_aspect_ratio: bool = False,
        fill_mode: str = "constant",
        fill_value: float = 0.0,
        antialias: bool = False,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        name = type(self).__name__
        self.height = image_utils.check_size(name, "height", height)
        self.width = image_utils.check_size(name, "width", width)
        if interpolation not in image_utils.INTERPOLATIONS:
            raise ValueError(
                invalid_argument(
                    name,
                    "interpolation",
                    f"one of {sorted(image_utils.INTERPOLATIONS)}",
                    interpolation,
                )
            )
        if fill_mode != "constant":
            raise ValueError(
                invalid_argument(name, "fill_mode", "'constant'", fill_mode)
            )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                f"{name}: only one of `crop_to_aspect_ratio` and "
                "`pad_to_aspect_ratio` can be `True`. Received: "
                "crop_to_aspect_ratio=True, pad_to_aspect_ratio=True"
            )
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)
        self.data_format = lamina_config.standardize_data_format(data_format)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        image_utils.check_images(type(self).__name__, inputs)
        return image_utils.resize(
            inputs.to(self._compute_torch_dtype),
            (self.height, self.width),
            interpolation=self.interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "data_format": self.data_format,
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        }
