"""`RandomColorDegeneration`: blend each image with its greyscale."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

from lamina.layers.preprocessing.image_preprocessing import color
from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_value_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    ColorLayer,
    images_of,
)
import torch


class RandomColorDegeneration(ColorLayer):
    """Randomly degenerates the colours of RGB images during training.

    Each image moves towards its greyscale version by a fraction drawn
    from `factor` (0 keeps the colours, 1 is fully grey), then is clipped
    to `value_range`. The identity in inference.

    Args:
        factor: a float or a pair `(lower, upper)` in [0, 1].
        value_range: the `[low, high]` range of the inputs.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed.

    Input shape:
        3D (unbatched) or 4D (batched) RGB images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomColorDegeneration((1.0, 1.0), seed=0)
    >>> x = torch.tensor([[[[100.0, 100.0, 100.0]]]])
    >>> [round(v, 2) for v in layer(x)[0, 0, 0].tolist()]
    [99.99, 99.99, 99.99]
    """

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
        self.value_range = check_value_range(
            "RandomColorDegeneration", value_range
        )
        self._init_seed(seed)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        images = images_of(data)
        factor = self._uniform(
            (self._batch_size(images), 1, 1, 1),
            images,
            self.factor[0],
            self.factor[1],
            seed=seed,
        )
        return {"factor": factor}

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        if not training:
            return images
        self._check_channels(images)
        images = images.to(self._compute_torch_dtype)
        factor = transformation["factor"].to(images.device, images.dtype)
        grey = color.rgb_to_grayscale(images, self.data_format)
        images = images + factor * (grey - images)
        return images.clip(self.value_range[0], self.value_range[1])
