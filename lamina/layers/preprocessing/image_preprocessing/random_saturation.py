"""`RandomSaturation`: scale each image's saturation at random."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina import config as lamina_config
from lamina.layers.preprocessing.image_preprocessing import color
from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_value_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
    images_of,
)


class RandomSaturation(ColorLayer):
    """Randomly adjusts the saturation of RGB images during training.

    A value `f` drawn from `factor` scales the saturation by
    `f / (1 - f)`: 0.5 keeps it, 0 turns the image grey and 1 saturates it
    fully. The identity in inference.

    Args:
        factor: a float or a pair `(lower, upper)` in [0, 1].
        value_range: the `[low, high]` range of the inputs.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed.

    Input shape:
        3D (unbatched) or 4D (batched) RGB images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomSaturation((0.0, 0.0), seed=0)
    >>> x = torch.tensor([[[[200.0, 100.0, 50.0]]]])
    >>> layer(x)[0, 0, 0].tolist()  # fully desaturated: value repeated
    [200.0, 200.0, 200.0]
    """

    def __init__(
        self,
        factor: Any,
        value_range: Sequence[float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range("RandomSaturation", value_range)
        self._init_seed(seed)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        factor = self._uniform(
            (self._batch_size(images),),
            images,
            self.factor[0],
            self.factor[1],
            seed=seed,
        )
        return {"factor": factor / (1 - factor + lamina_config.epsilon())}

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        if not training:
            return images
        self._check_channels(images)
        images = images.to(self._compute_torch_dtype)
        factor = transformation["factor"].to(images.device, images.dtype)
        axis = color.channel_axis(self.data_format)
        hue, saturation, value = color.rgb_to_hsv(
            images, self.data_format
        ).unbind(axis)
        saturation = (saturation * factor[:, None, None]).clip(
            self.value_range[0], self.value_range[1]
        )
        hsv = torch.stack([hue, saturation, value], dim=axis)
        return color.hsv_to_rgb(hsv, self.data_format)
