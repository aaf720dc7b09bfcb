"""`RandomBrightness`: add a random brightness offset to each image."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_value_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)


class RandomBrightness(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly adjusts brightness in training.

    Each image gets one offset, drawn from `factor` as a fraction of the
    value range (`factor=0.2` adds up to +-20 percent of `high - low`),
    and the result is clipped to `value_range`. The identity in inference.

    Args:
        factor: a float or a pair `(lower, upper)` in [-1, 1].
        value_range: the `[low, high]` range of the inputs.
        seed: integer seed.
        **kwargs: base layer arguments (`data_format`, `name`, ...).

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomBrightness((0.5, 0.5), value_range=(0, 1))
    >>> layer(torch.full((1, 1, 2, 1), 0.25))[0, 0, :, 0].tolist()
    [0.75, 0.75]
    """

    def __init__(
        self,
        factor: Any,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(factor=factor, **kwargs)
        self._init_seed(seed)
        self.value_range = check_value_range("RandomBrightness", value_range)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        self._batched(images)
        shape = (1, 1, 1) if images.ndim == 3 else (images.shape[0], 1, 1, 1)
        if not training:
            return {"rgb_delta": torch.zeros(shape)}
        delta = self._uniform(
            shape, images, self.factor[0], self.factor[1], seed=seed
        )
        return {
            "rgb_delta": delta * (self.value_range[1] - self.value_range[0])
        }

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        if not training:
            return images
        images = images.to(self._compute_torch_dtype)
        delta = transformation["rgb_delta"].to(images.device, images.dtype)
        return (images + delta).clip(self.value_range[0], self.value_range[1])

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        return bounding_boxes

    def transform_segmentation_masks(
        self,
        segmentation_masks: Any,
        transformation: Any,
        training: bool = True,
    ) -> Any:
        return segmentation_masks

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
