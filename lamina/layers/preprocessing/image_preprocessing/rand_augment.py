"""`RandAugment`: apply `num_ops` augmentations picked at random."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

from lamina.layers.preprocessing.image_preprocessing.auto_contrast import (
    AutoContrast,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)
from lamina.layers.preprocessing.image_preprocessing.equalization import (
    Equalization,
)
from lamina.layers.preprocessing.image_preprocessing.random_brightness import (
    RandomBrightness,
)
from lamina.layers.preprocessing.image_preprocessing.random_color_degeneration import (
    RandomColorDegeneration,
)
from lamina.layers.preprocessing.image_preprocessing.random_contrast import (
    RandomContrast,
)
from lamina.layers.preprocessing.image_preprocessing.random_posterization import (
    RandomPosterization,
)
from lamina.layers.preprocessing.image_preprocessing.random_rotation import (
    RandomRotation,
)
from lamina.layers.preprocessing.image_preprocessing.random_sharpness import (
    RandomSharpness,
)
from lamina.layers.preprocessing.image_preprocessing.random_shear import (
    RandomShear,
)
from lamina.layers.preprocessing.image_preprocessing.random_translation import (
    RandomTranslation,
)
from lamina.layers.preprocessing.image_preprocessing.solarization import (
    Solarization,
)
import torch


def make_augmenters(
    factor: Any,
    value_range: Sequence[float],
    interpolation: str,
    seed: Any,
    data_format: str | None,
    names: Any,
    bounding_box_format: str | None = None,
) -> dict:
    """The sublayers RandAugment and AugMix choose from, built as Keras
    builds them from one `factor` range (the geometric ones move boxes in
    `bounding_box_format`)."""
    geometric = {
        "interpolation": interpolation,
        "seed": seed,
        "data_format": data_format,
        "bounding_box_format": bounding_box_format,
    }
    colour = {
        "value_range": value_range,
        "seed": seed,
        "data_format": data_format,
    }
    makers = {
        "random_shear": lambda: RandomShear(factor, factor, **geometric),
        "random_translation": lambda: RandomTranslation(
            factor, factor, **geometric
        ),
        "random_rotation": lambda: RandomRotation(factor, **geometric),
        "random_brightness": lambda: RandomBrightness(factor, **colour),
        "random_color_degeneration": lambda: RandomColorDegeneration(
            factor, **colour
        ),
        "random_contrast": lambda: RandomContrast(factor, **colour),
        "random_sharpness": lambda: RandomSharpness(factor, **colour),
        "solarization": lambda: Solarization(factor, factor, **colour),
        "random_posterization": lambda: RandomPosterization(
            max(1, int(8 * factor[1])), **colour
        ),
        "auto_contrast": lambda: AutoContrast(
            value_range, data_format=data_format
        ),
        "equalization": lambda: Equalization(
            value_range, data_format=data_format
        ),
    }
    return {name: makers[name]() for name in names}


class RandAugment(BaseImagePreprocessingLayer):
    """RandAugment performs the Rand Augment operation on input images.

    In training, `num_ops` operations are drawn (with repeats) from shear,
    translation, rotation, brightness, colour degeneration, contrast,
    sharpness, posterization, solarization, auto-contrast and
    equalization, all of strength `factor`, and applied in turn to the
    whole batch. The identity in inference.

    Args:
        value_range: the `[low, high]` range of the inputs.
        num_ops: how many operations to apply.
        factor: a float or a pair in [0, 1], the strength.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: integer seed.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) RGB images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandAugment(seed=0)
    >>> layer(torch.rand(2, 8, 8, 3) * 255).shape
    torch.Size([2, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _AUGMENT_LAYERS = (
        "random_shear",
        "random_translation",
        "random_rotation",
        "random_brightness",
        "random_color_degeneration",
        "random_contrast",
        "random_sharpness",
        "random_posterization",
        "solarization",
        "auto_contrast",
        "equalization",
    )

    def __init__(
        self,
        value_range: Sequence[float] = (0, 255),
        num_ops: int = 2,
        factor: Any = 0.5,
        interpolation: str = "bilinear",
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self._set_factor(factor)
        self.interpolation = interpolation
        self._init_seed(seed)
        for name, layer in make_augmenters(
            self.factor,
            value_range,
            interpolation,
            seed,
            data_format,
            self._AUGMENT_LAYERS,
            self.bounding_box_format,
        ).items():
            setattr(self, name, layer)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training:
            return None
        images = images_of(data)
        picks = self._randint(
            (self.num_ops,), images, 0, len(self._AUGMENT_LAYERS)
        )
        transforms = {
            name: getattr(self, name).get_random_transformation(
                data, training=training, seed=self.generator
            )
            for name in self._AUGMENT_LAYERS
        }
        return {"transforms": transforms, "layer_idxes": picks}

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        images = images.to(self._compute_torch_dtype)
        if not training:
            return images
        transforms = transformation["transforms"]
        # Keras computes all the operations and selects with `where`;
        # running only the picked one gives the same images.
        for pick in transformation["layer_idxes"].tolist():
            name = list(transforms)[pick]
            images = getattr(self, name).transform_images(
                images, transforms[name]
            )
        return images.to(self._compute_torch_dtype)

    def transform_segmentation_masks(
        self,
        segmentation_masks: Any,
        transformation: Any,
        training: bool = True,
    ) -> Any:
        if not training:
            return segmentation_masks
        transforms = transformation["transforms"]
        for pick in transformation["layer_idxes"].tolist():
            name = list(transforms)[pick]
            segmentation_masks = getattr(
                self, name
            ).transform_segmentation_masks(segmentation_masks, transforms[name])
        return segmentation_masks

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        if not training:
            return bounding_boxes
        # Keras moves the boxes through every picked operation once, in
        # the order of `_AUGMENT_LAYERS` (not the order they were picked).
        picked = set(transformation["layer_idxes"].tolist())
        for idx, (name, value) in enumerate(
            transformation["transforms"].items()
        ):
            if idx in picked:
                bounding_boxes = getattr(self, name).transform_bounding_boxes(
                    dict(bounding_boxes), value
                )
        return bounding_boxes

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "num_ops": self.num_ops,
            "factor": self.factor,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
