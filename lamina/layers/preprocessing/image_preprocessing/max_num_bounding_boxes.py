"""`MaxNumBoundingBoxes`: pad or cut the boxes to a fixed number."""

from __future__ import annotations

from typing import Any

import torch.nn.functional as F

from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
import torch


class MaxNumBoundingBoxes(BaseImagePreprocessingLayer):
    """Ensure the maximum number of bounding boxes.

    Boxes (and their labels) beyond `max_number` are dropped; fewer are
    padded with `fill_value`, so that every batch has the same shape.
    Images, labels and masks pass through.

    Args:
        max_number: the number of boxes per image.
        fill_value: the value of padded boxes and labels.
        **kwargs: base layer arguments, including `bounding_box_format`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.MaxNumBoundingBoxes(3,
    ...                                           bounding_box_format="xyxy")
    >>> out = layer({"images": torch.zeros(1, 4, 4, 3),
    ...              "bounding_boxes": {"boxes": torch.ones(1, 1, 4),
    ...                                 "labels": torch.ones(1, 1)}})
    >>> out["bounding_boxes"]["labels"].tolist()
    [[1.0, -1.0, -1.0]]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, max_number: Any, fill_value: int = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        return images

    def transform_labels(
        self, labels: Any, transformation: Any = None, training: bool = True
    ) -> Any:
        return labels

    def transform_segmentation_masks(
        self,
        segmentation_masks: Any,
        transformation: Any = None,
        training: bool = True,
    ) -> Any:
        return segmentation_masks

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        boxes = bounding_boxes["boxes"][:, : self.max_number]
        labels = bounding_boxes["labels"][:, : self.max_number]
        pad = max(self.max_number - boxes.shape[1], 0)
        return {
            **bounding_boxes,
            "boxes": F.pad(boxes, (0, 0, 0, pad), value=float(self.fill_value)),
            "labels": F.pad(labels, (0, pad), value=float(self.fill_value)),
        }

    def get_config(self) -> dict:
        return {**super().get_config(), "max_number": self.max_number}
