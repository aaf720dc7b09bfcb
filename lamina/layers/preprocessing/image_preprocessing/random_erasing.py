"""`RandomErasing`: overwrite a random rectangle of some images."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing.arguments import (
    factor_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)
from lamina.random.seed_generator import torch_generator


def box_masks(
    x0: Any,
    x1: Any,
    y0: Any,
    y1: Any,
    height: Any,
    width: Any,
    data_format: str | None,
) -> torch.Tensor:
    """(B, H, W, 1) (or (B, 1, H, W)) masks of the boxes `[x0, x1) x
    [y0, y1)`, one per image."""
    ys = torch.arange(height, dtype=x0.dtype, device=x0.device)[:, None]
    xs = torch.arange(width, dtype=x0.dtype, device=x0.device)[None, :]
    box = [v[:, None, None] for v in (x0, x1, y0, y1)]
    masks = (xs >= box[0]) & (xs < box[1]) & (ys >= box[2]) & (ys < box[3])
    return masks.unsqueeze(-1 if data_format == "channels_last" else 1)


class RandomErasing(BaseImagePreprocessingLayer):
    """Random Erasing data augmentation technique.

    With a probability drawn from `factor`, a rectangle of each image is
    overwritten: its sides are `sqrt(s)` of the image's (one `s` per side
    drawn from `scale`), its position uniform. It is filled with
    `fill_value` (a number or an RGB triple), or with clipped Gaussian
    noise of scale `value_range[1]` when `fill_value` is None. The
    identity in inference.

    Args:
        factor: a float or a pair in [0, 1], the erasing probability.
        scale: a float or a pair in [0, 1], the area fraction per side.
        fill_value: a number, three numbers, or None for noise.
        value_range: the `[low, high]` range of the inputs.
        seed: integer seed.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomErasing(factor=(1.0, 1.0), fill_value=0,
    ...                                     seed=0)
    >>> bool((layer(torch.full((1, 8, 8, 3), 9.0)) == 0).any())
    True
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor: Any = 1.0,
        scale: Any = (0.02, 0.33),
        fill_value: Any = None,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = factor_range(
            "RandomErasing", "scale", scale, self._FACTOR_BOUNDS
        )
        if not (
            fill_value is None
            or isinstance(fill_value, (int, float))
            or isinstance(fill_value, (tuple, list))
            and len(fill_value) == 3
        ):
            raise ValueError(
                "Invalid value for argument `fill_value` of RandomErasing: "
                "expected a number, a list of three numbers or None. "
                f"Received: fill_value={fill_value!r}"
            )
        self.fill_value = fill_value
        self.value_range = value_range
        self._init_seed(seed)
        self.height_axis, self.width_axis = (
            (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        )

    def _bounds(self, images, length, ratio, seed):
        crop = (ratio * length).to(self._compute_torch_dtype)
        start = self._uniform(
            (ratio.shape[0],),
            images,
            seed=seed,
            dtype=self._compute_torch_dtype,
        ) * (length - crop)
        return start, start + crop

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training:
            return None
        images = images_of(data)
        batch = images.shape[0] if self._batched(images) else 1
        height = images.shape[self.height_axis]
        width = images.shape[self.width_axis]
        seed = seed or self.generator
        mix = self._uniform(
            (batch, 2),
            images,
            self.scale[0],
            self.scale[1],
            seed=seed,
            dtype=self._compute_torch_dtype,
        ).sqrt()
        x0, x1 = self._bounds(images, width, mix[:, 0], seed)
        y0, y1 = self._bounds(images, height, mix[:, 1], seed)
        masks = box_masks(x0, x1, y0, y1, height, width, self.data_format)
        probability = self._uniform(
            (batch,), images, self.factor[0], self.factor[1], seed=seed
        )
        threshold = self._uniform((batch,), images, seed=seed)
        return {
            "apply_erasing": threshold < probability,
            "batch_masks": masks,
            "fill_value": self._fill(images, seed),
        }

    def _fill(self, images, seed):
        dtype = self._compute_torch_dtype
        if self.fill_value is None:
            shape = tuple(images.shape)
            if images.device.type == "meta":
                noise = images.new_empty(shape, dtype=dtype)
            else:
                noise = torch.normal(
                    0.0,
                    1.0,
                    size=shape,
                    dtype=dtype,
                    device=images.device,
                    generator=torch_generator(seed, images.device),
                )
            fill = noise * self.value_range[1]
        else:
            fill = torch.as_tensor(
                self.fill_value, dtype=dtype, device=images.device
            )
        return fill.clip(self.value_range[0], self.value_range[1])

    def transform_images(
        self,
        images: torch.Tensor,
        transformation: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        images = images.to(self._compute_torch_dtype)
        if not training:
            return images
        masks = transformation["batch_masks"].to(images.device)
        fill = transformation["fill_value"].to(images.device, images.dtype)
        erased = torch.where(masks, fill, images)
        apply = transformation["apply_erasing"].to(images.device)
        return torch.where(apply[:, None, None, None], erased, images)

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        return bounding_boxes

    def transform_segmentation_masks(
        self,
        segmentation_masks: Any,
        transformation: Any,
        training: bool = True,
    ) -> Any:
        return segmentation_masks

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
            "seed": self.seed,
        }
