"""`RandomShear`: shear images along x and/or y by random amounts."""

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


def shear_matrix(shear_factors: Any) -> torch.Tensor:
    """Keras's shear transform; `shear_factors` is (B, 2) of (x, y)."""
    ones = torch.ones_like(shear_factors[:, 0])
    zeros = torch.zeros_like(ones)
    return torch.stack(
        [
            ones,
            shear_factors[:, 0],
            zeros,
            shear_factors[:, 1],
            ones,
            zeros,
            zeros,
            zeros,
        ],
        dim=1,
    )


def _shear_range(arg, factor) -> tuple:
    # A number lies in [0, 1]; a pair may reach -1, so that the pair this
    # layer's config stores, `(-f, f)`, loads again (Keras 3.15 refuses
    # its own config there).
    if isinstance(factor, (tuple, list)):
        return strict_range("RandomShear", arg, factor, -1, 1)
    return strict_range("RandomShear", arg, factor, 0, 1)


class RandomShear(BaseImagePreprocessingLayer):
    """A preprocessing layer that randomly applies shear transformations.

    Each image is sheared along x by an amount drawn from `x_factor` and
    along y by one drawn from `y_factor`, both with one random sign. The
    identity in inference.

    Args:
        x_factor: a float or a pair in [0, 1], the horizontal shear.
        y_factor: a float or a pair in [0, 1], the vertical shear.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"reflect"` (default), `"wrap"`, `"constant"` or
            `"nearest"`.
        fill_value: the value outside the image with `"constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomShear(x_factor=0.3, seed=0)
    >>> layer(torch.ones(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _SUPPORTED_FILL_MODE = ("reflect", "wrap", "constant", "nearest")
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(
        self,
        x_factor: float = 0.0,
        y_factor: float = 0.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.x_factor = _shear_range("x_factor", x_factor)
        self.y_factor = _shear_range("y_factor", y_factor)
        check_affine_arguments("RandomShear", fill_mode, interpolation)
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
        batch = images.shape[0] if images.ndim == 4 else 1
        dtype = self._compute_torch_dtype
        invert = self._uniform((batch, 1), images, seed=seed, dtype=dtype)
        invert = torch.where(
            invert > 0.5, -torch.ones_like(invert), torch.ones_like(invert)
        )
        shear_y = self._uniform(
            (batch, 1),
            images,
            self.y_factor[0],
            self.y_factor[1],
            seed=seed,
            dtype=dtype,
        )
        shear_x = self._uniform(
            (batch, 1),
            images,
            self.x_factor[0],
            self.x_factor[1],
            seed=seed,
            dtype=dtype,
        )
        return {
            "shear_factor": torch.cat([shear_x, shear_y], 1) * invert,
            "input_shape": tuple(images.shape),
        }

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        matrix = shear_matrix(transformation["shear_factor"].to(images.device))
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
        return bbox.shear(self, bounding_boxes, transformation)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "x_factor": self.x_factor,
            "y_factor": self.y_factor,
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
        }
