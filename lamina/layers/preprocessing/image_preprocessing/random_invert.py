"""`RandomInvert`: invert the colours of some images."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
    images_of,
)


class RandomInvert(ColorLayer):
    """Preprocessing layer for random inversion of image colors.

    Each image is inverted (`value_range[1] - x`) with a probability drawn
    from `factor` (`1.0` means the range `(0, 1)`, as in Keras; `(1.0, 1.0)`
    inverts every image). The identity in
    inference.

    Args:
        factor: a float or a pair in [0, 1], the inversion probability.
        value_range: the `[low, high]` range of the inputs.
        seed: integer seed.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomInvert(factor=(1.0, 1.0), seed=0)
    >>> layer(torch.tensor([[[[0.0], [55.0]]]]))[0, 0, :, 0].tolist()
    [255.0, 200.0]
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor: Any = 1.0,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self._init_seed(seed)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training:
            return None
        images = images_of(data)
        batch = self._batch_size(images)
        seed = seed or self.generator
        probability = self._uniform(
            (batch,), images, self.factor[0], self.factor[1], seed=seed
        )
        threshold = self._uniform((batch,), images, seed=seed)
        return {"apply_inversion": threshold < probability}

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        if not training:
            return images
        images = images.to(self._compute_torch_dtype)
        apply = transformation["apply_inversion"].to(images.device)
        return torch.where(
            apply[:, None, None, None], self.value_range[1] - images, images
        )
