"""`AugMix`: mix several chains of random augmentations."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina import random as lamina_random
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)
from lamina.layers.preprocessing.image_preprocessing.rand_augment import (
    make_augmenters,
)

AUGMENT_LAYERS = [
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
]
AUGMENT_LAYERS_ALL = AUGMENT_LAYERS + [
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
]


class AugMix(BaseImagePreprocessingLayer):
    """Performs the AugMix data augmentation technique.

    In training, `num_chains` chains of up to `chain_depth` random
    operations (each step may also be skipped) transform copies of the
    batch; the copies are mixed with Dirichlet(`alpha`) weights and the
    mixture is blended with the original by a Beta(`alpha`, `alpha`)
    weight. The choice of operations comes from the layer's seed (Keras
    3.15 uses Python's unseeded `random` there). The identity in
    inference.

    Args:
        value_range: the `[low, high]` range of the inputs.
        num_chains: the number of chains.
        chain_depth: the maximum number of operations per chain.
        factor: a float or a pair in [0, 1], the operations' strength.
        alpha: the Dirichlet and Beta parameter.
        all_ops: include brightness, colour degeneration, contrast and
            sharpness.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: integer seed.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) RGB images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.AugMix(seed=0)
    >>> layer(torch.rand(2, 8, 8, 3) * 255).shape
    torch.Size([2, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        value_range: Sequence[float] = (0, 255),
        num_chains: int = 3,
        chain_depth: int = 3,
        factor: Any = 0.3,
        alpha: float = 1.0,
        all_ops: bool = True,
        interpolation: str = "bilinear",
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self._set_factor(factor)
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self._init_seed(seed)
        self._augment_layers = AUGMENT_LAYERS_ALL if all_ops else AUGMENT_LAYERS
        for name, layer in make_augmenters(
            self.factor,
            value_range,
            interpolation,
            seed,
            data_format,
            self._augment_layers,
        ).items():
            setattr(self, name, layer)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training:
            return None
        images = images_of(data)
        seed = seed or self.generator
        if images.device.type == "meta":
            gammas, weight = torch.ones(self.num_chains), torch.tensor(0.5)
        else:
            gammas = lamina_random.gamma(
                [self.num_chains], self.alpha, seed=seed
            )
            weight = lamina_random.beta((), self.alpha, self.alpha, seed=seed)
        choices = len(self._augment_layers) + 1  # the last one skips
        chains = []
        for _ in range(self.num_chains):
            picks = self._randint(
                (self.chain_depth,), images, 0, choices, seed=seed
            ).tolist()
            chains.append(
                [
                    {
                        "layer_name": name,
                        "transformation": getattr(
                            self, name
                        ).get_random_transformation(data, seed=seed),
                    }
                    for name in (
                        self._augment_layers[p]
                        for p in picks
                        if p < choices - 1
                    )
                ]
            )
        return {
            "chain_mixing_weights": gammas / gammas.sum(),
            "weight_sample": weight,
            "chain_transforms": chains,
        }

    def _mix(self, images, transformation, method):
        dtype = self._compute_torch_dtype
        weights = transformation["chain_mixing_weights"].to(
            images.device, dtype
        )
        weight = transformation["weight_sample"].to(images.device, dtype)
        mixed = torch.zeros_like(images)
        for index, chain in enumerate(transformation["chain_transforms"]):
            copied = images
            for step in chain:
                layer = getattr(self, step["layer_name"])
                copied = getattr(layer, method)(copied, step["transformation"])
            mixed = mixed + copied * weights[index]
        return weight * images + (1 - weight) * mixed

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        images = images.to(self._compute_torch_dtype)
        if not training:
            return images
        images = self._mix(images, transformation, "transform_images")
        return images.clip(self.value_range[0], self.value_range[1]).to(
            self._compute_torch_dtype
        )

    def transform_segmentation_masks(
        self,
        segmentation_masks: Any,
        transformation: Any,
        training: bool = True,
    ) -> Any:
        if not training:
            return segmentation_masks
        return self._mix(
            segmentation_masks, transformation, "transform_segmentation_masks"
        )

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        return bounding_boxes

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "num_chains": self.num_chains,
            "chain_depth": self.chain_depth,
            "factor": self.factor,
            "alpha": self.alpha,
            "all_ops": self.all_ops,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
