"""`RandomColorJitter`: brightness, contrast, saturation and hue in turn."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    ColorLayer,
)
from lamina.layers.preprocessing.image_preprocessing.random_brightness import (
    RandomBrightness,
)
from lamina.layers.preprocessing.image_preprocessing.random_contrast import (
    RandomContrast,
)
from lamina.layers.preprocessing.image_preprocessing.random_hue import (
    RandomHue,
)
from lamina.layers.preprocessing.image_preprocessing.random_saturation import (
    RandomSaturation,
)
import torch

_PARTS = (
    ("brightness_factor", "random_brightness", RandomBrightness),
    ("contrast_factor", "random_contrast", RandomContrast),
    ("saturation_factor", "random_saturation", RandomSaturation),
    ("hue_factor", "random_hue", RandomHue),
)


class RandomColorJitter(ColorLayer):
    """Randomly jitters brightness, contrast, saturation and hue in training.

    Each adjustment whose factor is given runs in that order, as its own
    layer would (see `RandomBrightness`, `RandomContrast`,
    `RandomSaturation`, `RandomHue`), drawing from this layer's seed. The
    identity in inference.

    Args:
        value_range: the `[low, high]` range of the inputs.
        brightness_factor: `RandomBrightness`'s factor, or None.
        contrast_factor: `RandomContrast`'s factor, or None.
        saturation_factor: `RandomSaturation`'s factor, or None.
        hue_factor: `RandomHue`'s factor, or None.
        seed: integer seed.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) RGB images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomColorJitter(
    ...     brightness_factor=0.2, hue_factor=0.1, seed=0)
    >>> layer(torch.rand(2, 4, 4, 3) * 255).shape
    torch.Size([2, 4, 4, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        value_range: Sequence[float] = (0, 255),
        brightness_factor: Any = None,
        contrast_factor: Any = None,
        saturation_factor: Any = None,
        hue_factor: Any = None,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self._init_seed(seed)
        for arg, attr, cls in _PARTS:
            factor = getattr(self, arg)
            layer = (
                None
                if factor is None
                else cls(
                    factor=factor,
                    value_range=value_range,
                    seed=seed,
                    data_format=data_format,
                )
            )
            setattr(self, attr, layer)

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        if not training:
            return images
        images = images.to(self._compute_torch_dtype)
        for _, attr, _ in _PARTS:
            layer = getattr(self, attr)
            if layer is not None:
                drawn = layer.get_random_transformation(
                    images, seed=self.generator
                )
                images = layer.transform_images(images, drawn)
        return images.to(self._compute_torch_dtype)

    def get_config(self) -> dict:
        config = BaseImagePreprocessingLayer.get_config(self)
        config.update(
            {
                "value_range": self.value_range,
                "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor,
                "hue_factor": self.hue_factor,
                "seed": self.seed,
            }
        )
        return config
