"""`RandomSharpness`: sharpen or blur each image at random."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch
import torch.nn.functional as F

from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_value_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
    images_of,
)


class RandomSharpness(ColorLayer):
    """Randomly performs the sharpness operation on given images.

    Each image is blended with a smoothed copy (3x3 kernel, centre weight
    5/13): a value `f` drawn from `factor` gives
    `x + (1 - 2f) * (smooth - x)`, so 0 blurs, 0.5 keeps and 1 sharpens.
    The identity in inference.

    Args:
        factor: a float or a pair in [0, 1].
        value_range: the `[low, high]` range of the inputs.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomSharpness((0.5, 0.5))
    >>> x = torch.rand(1, 4, 4, 3) * 255
    >>> bool(torch.allclose(layer(x), x))
    True
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

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
        self.value_range = check_value_range("RandomSharpness", value_range)
        self._init_seed(seed)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        return {
            "factor": self._uniform(
                (self._batch_size(images),),
                images,
                self.factor[0],
                self.factor[1],
                seed=seed,
            )
        }

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        images = images.to(self._compute_torch_dtype)
        if not training:
            return images
        x = (
            images.permute(0, 3, 1, 2)
            if self.data_format == "channels_last"
            else images
        )
        factor = (transformation["factor"].to(x.device) * 2).to(x.dtype)
        factor = factor.reshape(-1, 1, 1, 1)
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = torch.tensor(
            [[a, a, a], [a, b, a], [a, a, a]], dtype=x.dtype, device=x.device
        )
        channels = x.shape[1]
        smooth = F.conv2d(
            x, kernel.expand(channels, 1, 3, 3), padding=1, groups=channels
        )
        x = (x + (1.0 - factor) * (smooth - x)).clip(
            self.value_range[0], self.value_range[1]
        )
        return (
            x.permute(0, 2, 3, 1) if self.data_format == "channels_last" else x
        )
