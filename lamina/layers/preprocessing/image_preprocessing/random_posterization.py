"""`RandomPosterization`: keep only the top bits of each pixel."""

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


class RandomPosterization(ColorLayer):
    """Reduces the number of bits for each color channel.

    In training each image keeps a random number of its most significant
    bits (on the 0-255 scale), drawn from `[lower, upper)` of `factor`
    (a single number `f` gives `[1, f)`, or exactly `f` bits when the
    range is empty). The identity in inference.

    Args:
        factor: an int or a pair of ints in [1, 8].
        value_range: the `[low, high]` range of the inputs.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomPosterization(factor=(2, 2))
    >>> layer(torch.tensor([[[[200.0], [100.0]]]]))[0, 0, :, 0].tolist()
    [192.0, 64.0]
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (1, 8)
    _MAX_FACTOR = 8

    def __init__(
        self,
        factor: Any,
        value_range: Sequence[float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range("RandomPosterization", value_range)
        self._init_seed(seed)

    def _set_factor(self, factor) -> None:
        self.factor = factor_range(
            "RandomPosterization", "factor", factor, self._FACTOR_BOUNDS
        )

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        batch = self._batch_size(images)
        low, high = self.factor
        if low != high:
            bits = self._randint(
                (batch,), images, low, high, seed=seed, dtype=torch.uint8
            )
        else:
            bits = torch.full(
                (batch,), low, dtype=torch.uint8, device=images.device
            )
        return {"shift_factor": self._MAX_FACTOR - bits}

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        if not training:
            return images
        dtype = self._compute_torch_dtype
        shift = transformation["shift_factor"].to(images.device)
        shift = shift.reshape(-1, 1, 1, 1)
        images = self._transform_value_range(
            images, self.value_range, (0, 255), dtype
        )
        images = images.to(torch.uint8)
        images = ((images >> shift) << shift).to(dtype)
        return self._transform_value_range(
            images, (0, 255), self.value_range, dtype
        )
