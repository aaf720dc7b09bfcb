"""`RandomZoom`: zoom images in or out by a random factor."""

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


def zoom_matrix(zooms: Any, height: int, width: int) -> torch.Tensor:
    """Keras's zoom transform about the centre; `zooms` is (B, 2) of
    (width zoom, height zoom)."""
    x_offset = (float(width) - 1.0) / 2.0 * (1.0 - zooms[:, 0:1])
    y_offset = (float(height) - 1.0) / 2.0 * (1.0 - zooms[:, 1:])
    zeros = torch.zeros_like(x_offset)
    return torch.cat(
        [
            zooms[:, 0:1],
            zeros,
            x_offset,
            zeros,
            zooms[:, 1:],
            y_offset,
            zeros,
            zeros,
        ],
        dim=1,
    )


class RandomZoom(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly zooms images during training.

    A positive factor zooms out (the image shrinks inside the frame), a
    negative one zooms in; `factor=(-0.3, -0.2)` zooms in by 20 to 30
    percent. Without `width_factor` both axes take the same zoom, keeping
    the aspect ratio. The identity in inference.

    Args:
        height_factor: a float or a pair `(lower, upper)` in (-1, 1].
        width_factor: the same for the width, or None.
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
    >>> layer = lamina.layers.RandomZoom(0.2, seed=0)
    >>> layer(torch.ones(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False
    _SUPPORTED_FILL_MODE = ("reflect", "wrap", "constant", "nearest")
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(
        self,
        height_factor: Any,
        width_factor: Any = None,
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
            "RandomZoom", "height_factor", height_factor, -1, 1, True
        )
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = strict_range(
                "RandomZoom", "width_factor", width_factor, -1, 1, True
            )
        check_affine_arguments("RandomZoom", fill_mode, interpolation)
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
        shape = (images.shape[0], 1) if images.ndim == 4 else (1, 1)
        height_zoom = self._uniform(
            shape,
            images,
            1.0 + self.height_lower,
            1.0 + self.height_upper,
            seed=seed,
        )
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = self._uniform(
                shape,
                images,
                1.0 + self.width_lower,
                1.0 + self.width_upper,
                seed=seed,
            )
        return {
            "height_zoom": height_zoom,
            "width_zoom": width_zoom,
            "input_shape": tuple(images.shape),
        }

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        zooms = torch.cat(
            [transformation["width_zoom"], transformation["height_zoom"]], dim=1
        ).float()
        _, height, width = spatial_size(images, self.data_format)
        return affine.affine_transform(
            images,
            zoom_matrix(zooms.to(images.device), height, width),
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
        return bbox.zoom(self, bounding_boxes, transformation)

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
