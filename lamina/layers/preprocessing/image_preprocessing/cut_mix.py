"""`CutMix`: paste a random patch of another image into each image."""

from __future__ import annotations

from typing import Any

import torch

from lamina import random as lamina_random
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)
from lamina.layers.preprocessing.image_preprocessing.mix_up import (
    permutation,
)
from lamina.layers.preprocessing.image_preprocessing.random_erasing import (
    box_masks,
)


class CutMix(BaseImagePreprocessingLayer):
    """CutMix data augmentation technique.

    In training each image gets a rectangle of another image of the batch
    (one random permutation); the rectangle's area follows
    `1 - Beta(a, a)` with `a` drawn from `factor`, and labels are mixed in
    proportion to the pasted area. Unbatched inputs and inference pass
    through.

    Args:
        factor: a float or a pair in [0, 1], the range of `a`.
        seed: integer seed.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        4D (batched) images, or a dict with `"images"` and `"labels"`.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.CutMix(seed=0)
    >>> out = layer({"images": torch.rand(4, 8, 8, 3),
    ...              "labels": torch.eye(4)})
    >>> out["images"].shape
    torch.Size([4, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor: Any = 1.0,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._init_seed(seed)
        self.height_axis, self.width_axis = (
            (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        )

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        if not training or images.ndim == 3:
            return None
        batch = images.shape[0]
        height = images.shape[self.height_axis]
        width = images.shape[self.width_axis]
        seed = seed or self.generator
        dtype = self._compute_torch_dtype
        alpha = (
            self._uniform(
                (),
                images,
                self.factor[0],
                self.factor[1],
                seed=seed,
                dtype=dtype,
            )
            + 1e-6
        )
        if images.device.type == "meta":
            weight = torch.zeros(batch)
        else:
            weight = lamina_random.beta(
                (batch,), alpha, alpha, seed=seed, dtype="float32"
            )
        ratio = torch.sqrt(1.0 - weight).to(images.device)
        x0, x1 = self._bounds(images, width, ratio, seed)
        y0, y1 = self._bounds(images, height, ratio, seed)
        masks = box_masks(x0, x1, y0, y1, height, width, self.data_format)
        weight = 1.0 - (x1 - x0) * (y1 - y0) / (width * height)
        order = permutation(self, batch, images, seed, torch.int32)
        return {
            "permutation_order": order,
            "batch_masks": masks,
            "mix_weight": weight,
        }

    def _bounds(self, images, length, ratio, seed):
        crop = (ratio * length).to(self._compute_torch_dtype)
        start = self._uniform(
            (ratio.shape[0],),
            images,
            seed=seed,
            dtype=self._compute_torch_dtype,
        ) * (length - crop)
        return start, start + crop

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        images = images.to(self._compute_torch_dtype)
        if not training or transformation is None:
            return images
        order = transformation["permutation_order"].to(images.device).long()
        masks = transformation["batch_masks"].to(images.device)
        return torch.where(masks, images[order], images)

    def transform_labels(
        self, labels: Any, transformation: Any, training: bool = True
    ) -> Any:
        if not training or transformation is None:
            return labels
        order = transformation["permutation_order"].to(labels.device).long()
        weight = transformation["mix_weight"].to(labels.device).reshape(-1, 1)
        return weight * labels + (1.0 - weight) * labels[order]

    def transform_segmentation_masks(
        self,
        segmentation_masks: Any,
        transformation: Any,
        training: bool = True,
    ) -> Any:
        return self.transform_images(
            segmentation_masks, transformation, training
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "seed": self.seed,
        }
