"""`RandomTranslation`: shift images by a random offset."""

from __future__ import annotations

from typing import Any

import torch

from lamina.layers.preprocessing.image_preprocessing import affine
from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_affine_arguments,
    strict_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)
from lamina.layers.preprocessing.image_preprocessing.random_rotation import (
    spatial_size,
)


def translation_matrix(translations: Any) -> torch.Tensor:
    """Keras's shift transform; `translations` is (B, 2) of (dx, dy)."""
    ones = torch.ones_like(translations[:, 0:1])
    zeros = torch.zeros_like(ones)
    return torch.cat(
        [
            ones,
            zeros,
            -translations[:, 0:1],
            zeros,
            ones,
            -translations[:, 1:],
            zeros,
            zeros,
        ],
        dim=1,
    )


class RandomTranslation(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly translates images in training.

    The shift is drawn per image as a fraction of the height and width;
    `height_factor=(-0.2, 0.3)` shifts by 20 percent up to 30 percent
    down. The identity in inference.

    Args:
        height_factor: a float or a pair `(lower, upper)` in [-1, 1].
        width_factor: the same for the width.
        fill_mode: `"reflect"` (default), `"wrap"`, `"constant"` or
            `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: integer seed.
        fill_value: the value outside the image with `"constant"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) images, or Keras's dict input.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomTranslation(0.1, 0.1, seed=0)
    >>> layer(torch.ones(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False
    _SUPPORTED_FILL_MODE = ("reflect", "wrap", "constant", "nearest")
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(
        self,
        height_factor: Any,
        width_factor: Any,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = strict_range(
            "RandomTranslation", "height_factor", height_factor, -1, 1
        )
        self.width_factor = width_factor
        self.width_lower, self.width_upper = strict_range(
            "RandomTranslation", "width_factor", width_factor, -1, 1
        )
        check_affine_arguments("RandomTranslation", fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self._init_seed(seed)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training:
            return None
        images = images_of(data)
        batch, height, width = spatial_size(images, self.data_format)
        dy = (
            self._uniform(
                (batch, 1),
                images,
                self.height_lower,
                self.height_upper,
                seed=seed,
            )
            * height
        )
        dx = (
            self._uniform(
                (batch, 1),
                images,
                self.width_lower,
                self.width_upper,
                seed=seed,
            )
            * width
        )
        return {
            "translations": torch.cat([dx, dy], dim=1).float(),
            "input_shape": tuple(images.shape),
        }

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        matrix = translation_matrix(
            transformation["translations"].to(images.device)
        )
        return affine.affine_transform(
            images,
            matrix,
            interpolation,
            self.fill_mode,
            self.fill_value,
            self.data_format,
        )

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        from lamina.layers.preprocessing.image_preprocessing import (
            box_transforms as bbox,
        )

        if not training or transformation is None:
            return bounding_boxes
        return bbox.translate(self, bounding_boxes, transformation)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
        }
