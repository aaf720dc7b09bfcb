"""`RandomGrayscale`: turn some images grey."""

from __future__ import annotations

from typing import Any

import torch

from lamina.layers.preprocessing.image_preprocessing import color
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
    images_of,
)


class RandomGrayscale(ColorLayer):
    """Preprocessing layer for random conversion of RGB images to grayscale.

    Each image turns grey with probability `factor`; the grey value is
    repeated over the 3 channels, so the shape is kept. The identity in
    inference.

    Args:
        factor: float in [0, 1], the probability of conversion.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed.

    Input shape:
        3D (unbatched) or 4D (batched) RGB images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomGrayscale(factor=1.0)
    >>> out = layer(torch.tensor([[[[10.0, 20.0, 30.0]]]]))
    >>> [round(v, 3) for v in out[0, 0, 0].tolist()]
    [18.149, 18.149, 18.149]
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        factor: Any = 0.5,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        if (
            isinstance(factor, bool)
            or not isinstance(factor, (int, float))
            or not 0 <= factor <= 1
        ):
            raise ValueError(
                "Invalid value for argument `factor` of RandomGrayscale: "
                f"expected a float in [0, 1]. Received: factor={factor!r}"
            )
        self.factor = factor
        self._init_seed(seed)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        values = self._uniform((self._batch_size(images),), images, seed=seed)
        return (values < self.factor)[:, None, None, None]

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        if not training:
            return images
        self._check_channels(images, (1, 3))  # grey stays grey
        if transformation is None:
            transformation = self.get_random_transformation(images)
        grey = color.rgb_to_grayscale(images, self.data_format)
        return torch.where(transformation.to(images.device), grey, images)

    def get_config(self) -> dict:
        return {**super(ColorLayer, self).get_config(), "factor": self.factor}
