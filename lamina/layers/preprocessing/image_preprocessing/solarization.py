"""`Solarization`: invert the pixels above a random threshold."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_value_range,
    factor_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
    images_of,
)


class Solarization(ColorLayer):
    """Applies `(max_value - pixel + min_value)` for each pixel in the image.

    In training, each image first gets a random `addition` (drawn from
    `addition_factor * 255`), then every pixel at or above a random
    `threshold` (drawn from `threshold_factor * 255`) is inverted, on the
    0-255 scale. With the default factors of 0 every pixel is inverted.
    The identity in inference.

    Args:
        addition_factor: a float or a pair in [0, 1].
        threshold_factor: a float or a pair in [0, 1].
        value_range: the `[low, high]` range of the inputs.
        seed: integer seed.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> x = torch.tensor([[[[0.0], [100.0], [255.0]]]])
    >>> lamina.layers.Solarization()(x)[0, 0, :, 0].tolist()
    [255.0, 155.0, 0.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        addition_factor: float = 0.0,
        threshold_factor: float = 0.0,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self._init_seed(seed)
        self.addition_factor = factor_range(
            "Solarization",
            "addition_factor",
            addition_factor,
            (0, 1),
            symmetric=False,
        )
        self.threshold_factor = factor_range(
            "Solarization",
            "threshold_factor",
            threshold_factor,
            (0, 1),
            symmetric=False,
        )
        self.value_range = check_value_range("Solarization", value_range)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training:
            return None
        images = images_of(data)
        shape = (images.shape[0], 1, 1, 1) if images.ndim == 4 else (1, 1, 1)
        dtype = self._compute_torch_dtype
        return {
            "additions": self._uniform(
                shape,
                images,
                self.addition_factor[0],
                self.addition_factor[1] * 255,
                seed=seed,
                dtype=dtype,
            ),
            "thresholds": self._uniform(
                shape,
                images,
                self.threshold_factor[0],
                self.threshold_factor[1] * 255,
                seed=seed,
                dtype=dtype,
            ),
        }

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        images = images.to(self._compute_torch_dtype)
        if not training or transformation is None:
            return images
        images = self._transform_value_range(
            images, self.value_range, (0, 255), images.dtype
        )
        results = (images + transformation["additions"].to(images.device)).clip(
            0, 255
        )
        thresholds = transformation["thresholds"].to(images.device)
        results = torch.where(results < thresholds, results, 255 - results)
        results = self._transform_value_range(
            results, (0, 255), self.value_range, images.dtype
        )
        return results

    def get_config(self) -> dict:
        return {
            **super(ColorLayer, self).get_config(),
            "value_range": self.value_range,
            "addition_factor": self.addition_factor,
            "threshold_factor": self.threshold_factor,
            "seed": self.seed,
        }
