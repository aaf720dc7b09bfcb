"""`RandomElasticTransform`: warp images with a smooth random field."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import torch

from lamina.layers.preprocessing.image_preprocessing import affine, color
from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_affine_arguments,
    factor_range,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)
from lamina.random.seed_generator import torch_generator


def elastic_transform(
    images: torch.Tensor,
    dx: Any,
    dy: Any,
    alpha: Any,
    sigma: Any,
    interpolation: str,
    fill_mode: str,
    fill_value: Any,
    data_format: str,
) -> torch.Tensor:
    """Keras's `ops.image.elastic_transform` for given standard normal
    fields `dx`, `dy` (B, H, W): blur them, scale, displace, sample."""
    size = int(6 * sigma) | 1
    sigma_pair = (float(sigma), float(sigma))
    axis = color.channel_axis(data_format)
    fields = []
    for field in (dx, dy):
        field = field * sigma
        blurred = color.gaussian_blur(
            field.unsqueeze(axis), (size, size), sigma_pair, data_format
        )
        fields.append(blurred.squeeze(axis))
    height, width = dx.shape[-2:]
    ys = torch.arange(height, device=dx.device, dtype=dx.dtype)[:, None]
    xs = torch.arange(width, device=dx.device, dtype=dx.dtype)[None, :]
    return affine.sample(
        images,
        xs + alpha * fields[0],
        ys + alpha * fields[1],
        interpolation,
        fill_mode,
        fill_value,
        data_format,
    )


class RandomElasticTransform(BaseImagePreprocessingLayer):
    """A preprocessing layer that applies random elastic transformations.

    With a probability drawn from `factor`, each image is displaced by a
    Gaussian-smoothed random field whose size is drawn from `scale`
    (displacement `0.1 * scale * max(height, width)`, smoothing
    `0.05 * scale * min(height, width)`), then clipped to `value_range`.
    The fields come from the layer's seed. The identity in inference.

    (Keras 3.15 draws these fields from torch's global generator, outside
    its seed; lamina draws them from the seed, so a seeded layer repeats.)

    Args:
        factor: a float or a pair in [0, 1], the transform probability.
        scale: a float or a pair in [0, 1], the distortion strength.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"reflect"` (default), `"wrap"`, `"constant"`,
            `"nearest"` or `"mirror"`.
        fill_value: the value outside the image with `"constant"`.
        value_range: the `[low, high]` range of the inputs.
        seed: integer seed.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomElasticTransform(seed=0)
    >>> layer(torch.rand(2, 16, 16, 3) * 255).shape
    torch.Size([2, 16, 16, 3])
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")
    _SUPPORTED_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")

    def __init__(
        self,
        factor: Any = 1.0,
        scale: Any = 1.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = factor_range(
            "RandomElasticTransform", "scale", scale, self._FACTOR_BOUNDS
        )
        check_affine_arguments(
            "RandomElasticTransform",
            fill_mode,
            interpolation,
            affine.FILL_MODES,
        )
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = value_range
        self._init_seed(seed)
        self.height_axis, self.width_axis = (
            (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        )

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        images = images_of(data)
        batch = images.shape[0] if images.ndim == 4 else 1
        seed = seed or self.generator
        probability = self._uniform(
            (batch,), images, self.factor[0], self.factor[1], seed=seed
        )
        threshold = self._uniform((batch,), images, seed=seed)
        distortion = self._uniform(
            (),
            images,
            self.scale[0],
            self.scale[1],
            seed=seed,
            dtype=self._compute_torch_dtype,
        )
        return {
            "apply_transform": threshold < probability,
            "distortion_factor": distortion,
            "seed": seed,
        }

    def _fields(self, images, seed):
        batch = images.shape[0]
        shape = (
            batch,
            images.shape[self.height_axis],
            images.shape[self.width_axis],
        )
        if images.device.type == "meta":
            return images.new_empty(shape), images.new_empty(shape)
        generator = torch_generator(seed, images.device)
        return tuple(
            torch.normal(
                0.0,
                1.0,
                size=shape,
                generator=generator,
                dtype=images.dtype,
                device=images.device,
            )
            for _ in range(2)
        )

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        height = images.shape[self.height_axis]
        width = images.shape[self.width_axis]
        factor = float(transformation["distortion_factor"])
        alpha = max(height, width) * 0.1 * factor
        sigma = min(height, width) * 0.05 * factor
        dx, dy = self._fields(images, transformation["seed"])
        warped = elastic_transform(
            images,
            dx,
            dy,
            alpha,
            sigma,
            interpolation,
            self.fill_mode,
            self.fill_value,
            self.data_format,
        )
        apply = transformation["apply_transform"].to(images.device)
        images = torch.where(apply[:, None, None, None], warped, images)
        return images.clip(self.value_range[0], self.value_range[1]).to(
            self._compute_torch_dtype
        )

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        return bounding_boxes

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
            "seed": self.seed,
        }
