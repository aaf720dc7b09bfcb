"""`RandomRotation`: rotate images by a random angle."""

from __future__ import annotations

from typing import Any

import torch

from lamina.layers.preprocessing.image_preprocessing import affine
from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_affine_arguments,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)


def spatial_size(images: torch.Tensor, data_format: str | None) -> tuple:
    """(batch, height, width) of a rank-3 or rank-4 image tensor."""
    shape = tuple(images.shape)
    batch = shape[0] if len(shape) == 4 else 1
    h_axis = -3 if data_format == "channels_last" else -2
    return batch, shape[h_axis], shape[h_axis + 1]


class RandomRotation(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly rotates images during training.

    Each image turns about its centre by an angle drawn uniformly from
    `factor * 360` degrees; pixels that come from outside the image are
    filled according to `fill_mode`. The identity in inference.

    Args:
        factor: a float or a pair `(lower, upper)` of fractions of a full
            turn, in [-1, 1]; `0.1` rotates by up to 36 degrees either way.
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
    >>> layer = lamina.layers.RandomRotation(0.5, seed=1)
    >>> layer(torch.ones(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    _SUPPORTED_FILL_MODE = ("reflect", "wrap", "constant", "nearest")
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(
        self,
        factor: Any,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        check_affine_arguments("RandomRotation", fill_mode, interpolation)
        self._init_seed(seed)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training:
            return None
        images = images_of(data)
        batch, height, width = spatial_size(images, self.data_format)
        angle = self._uniform(
            (batch,),
            images,
            self.factor[0] * 360.0,
            self.factor[1] * 360.0,
            seed=seed,
        )
        zeros = torch.zeros_like(angle)
        matrix = affine.compute_affine_matrix(
            0.5,
            0.5,
            angle,
            zeros,
            zeros,
            torch.ones_like(angle),
            zeros,
            zeros,
            height,
            width,
        )
        if images.ndim == 3:
            matrix = matrix.squeeze(0)
        return {
            "angle": angle,
            "rotation_matrix": matrix,
            "image_height": height,
            "image_width": width,
            "batch_size": batch,
        }

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        return affine.affine_transform(
            images,
            transformation["rotation_matrix"],
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
        return bbox.rotate(self, bounding_boxes, transformation)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
