"""`RandomFlip`: flip images horizontally and/or vertically at random."""

from __future__ import annotations

from typing import Any

import torch

from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_choice,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"
_MODES = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)


class RandomFlip(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly flips images during training.

    Each image of the batch is flipped with probability 1/2 (one draw per
    image: with `"horizontal_and_vertical"` a drawn image is flipped both
    ways). In inference (`training=False`) the layer is the identity.

    Args:
        mode: `"horizontal"`, `"vertical"` or `"horizontal_and_vertical"`.
        seed: integer seed of the layer's `SeedGenerator`.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments, e.g. `name`, `bounding_box_format`.

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`
        (channels first with `"channels_first"`); or a dict with
        `"images"` and optionally `"labels"`, `"bounding_boxes"`,
        `"segmentation_masks"`.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomFlip("horizontal", seed=0)
    >>> x = torch.arange(4.0).reshape(1, 1, 4, 1)
    >>> layer(x, training=False)[0, 0, :, 0].tolist()
    [0.0, 1.0, 2.0, 3.0]
    >>> sorted(layer(x)[0, 0, :, 0].tolist())
    [0.0, 1.0, 2.0, 3.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        mode: Any = HORIZONTAL_AND_VERTICAL,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        check_choice("RandomFlip", "mode", mode, _MODES)
        self._init_seed(seed)
        self.mode = mode

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training:
            return None
        images = images_of(data)
        shape = tuple(images.shape)
        flips_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        flips = self._uniform(flips_shape, images, seed=seed) <= 0.5
        return {"flips": flips, "input_shape": shape}

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        images = images.to(self._compute_torch_dtype)
        if training and transformation is not None:
            return self._flip(images, transformation["flips"])
        return images

    def transform_segmentation_masks(
        self,
        segmentation_masks: Any,
        transformation: Any,
        training: bool = True,
    ) -> Any:
        return self.transform_images(
            segmentation_masks, transformation, training
        )

    def _flip(self, images, flips):
        flips = flips.to(images.device)
        h_axis, w_axis = (
            (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        )
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = torch.where(flips, images.flip(w_axis), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = torch.where(flips, images.flip(h_axis), images)
        return images

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        from lamina.layers.preprocessing.image_preprocessing import (
            box_transforms as bbox,
        )

        if not training or transformation is None:
            return bounding_boxes
        return bbox.flip(self, bounding_boxes, transformation)

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}
