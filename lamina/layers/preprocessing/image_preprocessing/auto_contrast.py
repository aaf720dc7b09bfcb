"""`AutoContrast`: stretch each image channel to the full value range."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_value_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class AutoContrast(BaseImagePreprocessingLayer):
    """Performs the auto-contrast operation on an image.

    Each channel of each image is rescaled so that its darkest pixel
    becomes the low end of `value_range` and its brightest the high end
    (a flat channel is left as it is). Deterministic: the same in
    training and inference, as in Keras.

    Args:
        value_range: the `[low, high]` range of the inputs.

    Input shape:
        4D (batched) channels-last images, or 3D.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> x = torch.tensor([[[[50.0], [100.0], [150.0]]]])
    >>> lamina.layers.AutoContrast()(x)[0, 0, :, 0].tolist()
    [0.0, 127.5, 255.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range: Sequence[float] = (0, 255), **kwargs: Any):
        super().__init__(**kwargs)
        self.value_range = check_value_range("AutoContrast", value_range)

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        original = images
        images = self._transform_value_range(
            images, self.value_range, (0, 255), self._compute_torch_dtype
        ).to(self._compute_torch_dtype)
        low = images.amin(dim=(1, 2), keepdim=True)
        high = images.amax(dim=(1, 2), keepdim=True)
        scale = 255.0 / (high - low)
        results = (images * scale + (-low * scale)).clip(0.0, 255.0)
        results = self._transform_value_range(
            results, (0, 255), self.value_range, self._compute_torch_dtype
        )
        # A flat channel divides by zero: Keras keeps the input there.
        return torch.where(results.isnan(), original.to(results.dtype), results)

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
        return {**super().get_config(), "value_range": self.value_range}
