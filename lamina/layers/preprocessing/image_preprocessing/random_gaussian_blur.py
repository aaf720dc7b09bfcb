"""`RandomGaussianBlur`: blur some images with a random Gaussian."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing import color
from lamina.layers.preprocessing.image_preprocessing.arguments import (
    factor_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
    images_of,
)


def _kernel_size(value) -> tuple:
    values = list(value) if isinstance(value, (tuple, list)) else [value]
    if len(values) not in (1, 2) or not all(
        isinstance(v, int) and v > 0 and v % 2 == 1 for v in values
    ):
        raise ValueError(
            "Invalid value for argument `kernel_size` of RandomGaussianBlur:"
            " expected an odd positive int (or a pair of them). Received: "
            f"kernel_size={value!r}"
        )
    return (values[0], values[-1])


class RandomGaussianBlur(ColorLayer):
    """Applies random Gaussian blur to images for data augmentation.

    Each image is blurred with a probability drawn from `factor`; one
    pair of standard deviations (x, y) is drawn from `sigma` for the
    batch. The result is clipped to `value_range`. The identity in
    inference.

    Args:
        factor: a float or a pair in [0, 1], the blur probability.
        kernel_size: an odd int or pair of odd ints.
        sigma: a float or a pair in [0, 1], the standard deviation range.
        value_range: the `[low, high]` range of the inputs.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomGaussianBlur(seed=0)
    >>> layer(torch.rand(2, 5, 5, 3) * 255).shape
    torch.Size([2, 5, 5, 3])
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor: Any = 1.0,
        kernel_size: Any = 3,
        sigma: float = 1.0,
        value_range: Sequence[float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.kernel_size = _kernel_size(kernel_size)
        self.sigma = factor_range(
            "RandomGaussianBlur", "sigma", sigma, self._FACTOR_BOUNDS
        )
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
        sigma = self._uniform(
            (2,),
            images,
            self.sigma[0],
            self.sigma[1],
            seed=seed,
            dtype=self._compute_torch_dtype,
        )
        return {
            "should_apply_blur": threshold < probability,
            "blur_factor": sigma + 1e-6,
        }

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        images = images.to(self._compute_torch_dtype)
        if not training or transformation is None:
            return images
        blurred = color.gaussian_blur(
            images,
            self.kernel_size,
            transformation["blur_factor"].to(images.device),
            self.data_format,
        )
        apply = transformation["should_apply_blur"].to(images.device)
        images = torch.where(apply[:, None, None, None], blurred, images)
        return images.clip(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "kernel_size": self.kernel_size,
            "sigma": self.sigma,
        }
