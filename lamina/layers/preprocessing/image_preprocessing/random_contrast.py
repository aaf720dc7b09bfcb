"""`RandomContrast`: scale each image's contrast by a random factor."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)


class RandomContrast(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly adjusts contrast in training.

    Each image (per channel) is pulled towards or pushed away from its
    mean: `(x - mean) * c + mean` with `c` drawn from
    `[1 - lower, 1 + upper]`, then clipped to `value_range`. The identity
    in inference.

    Args:
        factor: a float or a pair `(lower, upper)` in [0, 1].
        value_range: the `[low, high]` range of the inputs.
        seed: integer seed.
        **kwargs: base layer arguments (`data_format`, `name`, ...).

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomContrast(0.5, seed=0)
    >>> x = torch.full((1, 2, 2, 1), 100.0)
    >>> layer(x)[0, :, :, 0].tolist()  # a flat image has no contrast
    [[100.0, 100.0], [100.0, 100.0]]
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor: Any,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self._init_seed(seed)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        self._batched(images)
        shape = (1, 1, 1) if images.ndim == 3 else (images.shape[0], 1, 1, 1)
        if not training:
            return {"contrast_factor": torch.zeros(shape)}
        factor = self._uniform(
            shape,
            images,
            1.0 - self.factor[0],
            1.0 + self.factor[1],
            seed=seed,
            dtype=self._compute_torch_dtype,
        )
        return {"contrast_factor": factor}

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        if not training:
            return images
        images = images.to(self._compute_torch_dtype)
        factor = transformation["contrast_factor"].to(images.device)
        h_axis, w_axis = (
            (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        )
        mean = images.mean(dim=h_axis, keepdim=True).mean(
            dim=w_axis, keepdim=True
        )
        out = (images - mean) * factor + mean
        return out.clip(self.value_range[0], self.value_range[1])

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
