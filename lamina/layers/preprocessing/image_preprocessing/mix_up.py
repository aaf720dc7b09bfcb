"""`MixUp`: blend each image (and label) with another of the batch."""

from __future__ import annotations

from typing import Any

import torch

from lamina import random as lamina_random
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)


def permutation(
    layer: Any,
    batch: int,
    like: Any,
    seed: Any,
    dtype: torch.dtype = torch.int64,
) -> Any:
    """Keras's `random.shuffle(arange(batch))`, on the default device."""
    order = torch.arange(batch, dtype=dtype)
    if like.device.type == "meta":
        return order
    return lamina_random.shuffle(order, seed=seed)


class MixUp(BaseImagePreprocessingLayer):
    """MixUp implements the MixUp data augmentation technique.

    In training each image becomes `w * x + (1 - w) * x[perm]`, with one
    weight `w ~ Beta(alpha, alpha)` per image and one random permutation
    of the batch; labels are mixed alike, bounding boxes of both images
    are kept. The identity in inference.

    Args:
        alpha: float, the Beta distribution's parameter.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed.

    Input shape:
        4D (batched) images, or a dict with `"images"` and `"labels"`.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.MixUp(alpha=0.2, seed=0)
    >>> out = layer({"images": torch.rand(4, 5, 5, 3),
    ...              "labels": torch.eye(4)})
    >>> out["labels"].sum(dim=1).tolist() == [1.0] * 4
    True
    """

    _USE_BASE_FACTOR = True

    def __init__(
        self,
        alpha: float = 0.2,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = alpha
        self._init_seed(seed)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        batch = images.shape[0] if images.ndim == 4 else 1
        seed = self._seed_state(seed)
        order = permutation(self, batch, images, seed)
        if images.device.type == "meta":
            weight = torch.zeros(batch)
        else:
            weight = lamina_random.beta(
                (batch,), self.alpha, self.alpha, seed=seed
            )
        return {"mix_weight": weight, "permutation_order": order}

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        if not training:
            return images
        images = images.to(self._compute_torch_dtype)
        weight = transformation["mix_weight"].to(images.device, images.dtype)
        order = transformation["permutation_order"].to(images.device)
        weight = weight.reshape(-1, 1, 1, 1)
        return weight * images + (1.0 - weight) * images[order]

    def transform_labels(
        self, labels: Any, transformation: Any, training: bool = True
    ) -> Any:
        if not training:
            return labels
        weight = transformation["mix_weight"].to(labels.device)
        order = transformation["permutation_order"].to(labels.device)
        weight = weight.reshape(-1, 1)
        return weight * labels + (1.0 - weight) * labels[order]

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        if not training:
            return bounding_boxes
        order = transformation["permutation_order"]
        boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
        return {
            "boxes": torch.cat([boxes, boxes[order]], dim=1),
            "labels": torch.cat([labels, labels[order]], dim=0),
        }

    def transform_segmentation_masks(
        self,
        segmentation_masks: Any,
        transformation: Any,
        training: bool = True,
    ) -> Any:
        if not training:
            return segmentation_masks
        weight = transformation["mix_weight"].reshape(-1, 1, 1, 1)
        order = transformation["permutation_order"]
        mixed = segmentation_masks.reshape(-1)[order]
        return weight * segmentation_masks + (1.0 - weight) * mixed

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}
