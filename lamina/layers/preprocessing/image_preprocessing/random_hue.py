"""`RandomHue`: rotate each image's hue by a random amount."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing import color
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
    images_of,
)


class RandomHue(ColorLayer):
    """Randomly adjusts the hue of RGB images during training.

    Each image's hue turns by a random fraction of the colour wheel: half
    a value drawn from `factor`, with a random sign (`factor=1.0` reaches
    the opposite hue). The identity in inference.

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
    >>> layer = lamina.layers.RandomHue(0.5, value_range=(0, 1), seed=0)
    >>> grey = torch.full((1, 2, 2, 3), 0.5)
    >>> bool(torch.allclose(layer(grey), grey))  # grey has no hue
    True
    """

    _FACTOR_BOUNDS = (0, 1)

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
        self.value_range = value_range
        self._init_seed(seed)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        batch = self._batch_size(images)
        invert = self._uniform((batch,), images, seed=seed)
        invert = torch.where(
            invert > 0.5, -torch.ones_like(invert), torch.ones_like(invert)
        )
        factor = self._uniform(
            (batch,), images, self.factor[0], self.factor[1], seed=seed
        )
        return {"factor": invert * factor * 0.5}

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
        images = self._transform_value_range(images, self.value_range, (0, 1))
        shift = transformation["factor"].to(images.device, images.dtype)
        hsv = color.rgb_to_hsv(images, self.data_format)
        axis = color.channel_axis(self.data_format)
        hue, saturation, value = hsv.unbind(axis)
        hue = hue + shift[:, None, None]
        hue = torch.where(hue > 1.0, hue - 1.0, hue)
        hue = torch.where(hue < 0.0, hue + 1.0, hue)
        hsv = torch.stack([hue, saturation, value], dim=axis)
        images = color.hsv_to_rgb(hsv, self.data_format).clip(0, 1)
        images = self._transform_value_range(images, (0, 1), self.value_range)
        return images.to(self._compute_torch_dtype)
