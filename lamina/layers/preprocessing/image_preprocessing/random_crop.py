"""`RandomCrop`: crop the batch at a random location."""

from __future__ import annotations

from typing import Any

from lamina.layers.preprocessing import image_utils
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)
import torch


class RandomCrop(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly crops images during training.

    In training, one location is drawn per batch and every image is cropped
    there to `(height, width)`. In inference, and in training when the
    input is not larger than the target, the window starts where the
    largest centred window of the target aspect ratio starts, and what is
    cut is resized to the target size (Keras's arithmetic).

    (Keras 3.15 returns the input uncropped in inference, against its own
    documentation and its `compute_output_shape`; lamina follows the
    documentation, so a model's output shape holds in `predict`.)

    Args:
        height: int, the height of the output.
        width: int, the width of the output.
        seed: integer seed.
        data_format: `"channels_last"` or `"channels_first"`.
        name: the layer's name.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        The input shape with height and width set to `(height, width)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomCrop(4, 5, seed=0)
    >>> layer(torch.ones(2, 9, 7, 3)).shape
    torch.Size([2, 4, 5, 3])
    >>> layer(torch.ones(2, 9, 7, 3), training=False).shape
    torch.Size([2, 4, 5, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height: Any,
        width: Any,
        seed: int | None = None,
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(name=name, data_format=data_format, **kwargs)
        self.height = image_utils.check_size("RandomCrop", "height", height)
        self.width = image_utils.check_size("RandomCrop", "width", width)
        self._init_seed(seed)
        self.height_axis, self.width_axis = image_utils.spatial_axes(
            self.data_format
        )

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        in_h = images.shape[self.height_axis]
        in_w = images.shape[self.width_axis]
        if training and in_h > self.height and in_w > self.width:
            h_start = self._uniform(
                (), images, 0.0, float(in_h - self.height + 1), seed=seed
            )
            w_start = self._uniform(
                (), images, 0.0, float(in_w - self.width + 1), seed=seed
            )
            return int(h_start), int(w_start)
        crop_h = max(min(in_h, int(float(in_w * self.height) / self.width)), 1)
        crop_w = max(min(in_w, int(float(in_h * self.width) / self.height)), 1)
        return int(float(in_h - crop_h) / 2), int(float(in_w - crop_w) / 2)

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        # Keras slices the target size from the start point (what is left
        # of the image when it is smaller), then resizes to the target.
        images = images.to(self._compute_torch_dtype)
        h_start, w_start = (int(v) for v in transformation)
        images = _window(images, self.height_axis, h_start, self.height)
        images = _window(images, self.width_axis, w_start, self.width)
        size = (images.shape[self.height_axis], images.shape[self.width_axis])
        if size != (self.height, self.width):
            images = image_utils.resize(
                images, (self.height, self.width), data_format=self.data_format
            )
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

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        from lamina.layers.preprocessing.image_preprocessing import (
            box_transforms as bbox,
        )

        if not training:
            return bounding_boxes
        return bbox.crop(self, bounding_boxes, transformation)

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = list(input_shape)
        shape[self.height_axis] = self.height
        shape[self.width_axis] = self.width
        return tuple(shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "seed": self.seed,
        }


def _window(images, axis: int, start: int, size: int):
    return images.narrow(axis, start, min(size, images.shape[axis] - start))
