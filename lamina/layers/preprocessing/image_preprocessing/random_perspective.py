"""`RandomPerspective`: move the image corners by random amounts."""

from __future__ import annotations

from typing import Any

import torch

from lamina.layers.preprocessing.image_preprocessing import affine
from lamina.layers.preprocessing.image_preprocessing.arguments import (
    check_choice,
)
from lamina.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    images_of,
)


class RandomPerspective(BaseImagePreprocessingLayer):
    """A preprocessing layer that applies random perspective transformations.

    With a probability drawn from `factor`, each image's four corners move
    by up to `scale / 2` of their coordinates and the image is warped by
    the homography between the old and new corners (constant fill). The
    identity in inference.

    Args:
        factor: a float or a pair in [0, 1], the warp probability.
        scale: float in [0, 1], the size of the corner moves.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_value: the value outside the image.
        seed: integer seed.
        data_format: `"channels_last"` or `"channels_first"`.

    Input shape:
        3D (unbatched) or 4D (batched) images.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RandomPerspective(seed=0)
    >>> layer(torch.ones(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(
        self,
        factor: Any = 1.0,
        scale: Any = 1.0,
        interpolation: str = "bilinear",
        fill_value: float = 0.0,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        if (
            isinstance(scale, bool)
            or not isinstance(scale, (int, float))
            or not 0.0 <= scale <= 1.0
        ):
            raise ValueError(
                "Invalid value for argument `scale` of RandomPerspective: "
                f"expected a number in [0, 1]. Received: scale={scale!r}"
            )
        check_choice(
            "RandomPerspective",
            "interpolation",
            interpolation,
            self._SUPPORTED_INTERPOLATION,
        )
        self.scale = scale
        self.fill_value = fill_value
        self.interpolation = interpolation
        self._init_seed(seed)
        self.height_axis, self.width_axis = (
            (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        )

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        if not training:
            return None
        images = images_of(data)
        batch = images.shape[0] if images.ndim == 4 else 1
        height = images.shape[self.height_axis]
        width = images.shape[self.width_axis]
        seed = seed or self.generator
        probability = self._uniform(
            (batch,), images, self.factor[0], self.factor[1], seed=seed
        )
        threshold = self._uniform((batch,), images, seed=seed)
        moves = self._uniform(
            (batch, 4, 2),
            images,
            -0.5 * self.scale,
            0.5 * self.scale,
            seed=seed,
            dtype=self._compute_torch_dtype,
        )
        start = torch.tensor(
            [
                [
                    [0.0, 0.0],
                    [width - 1, 0.0],
                    [0.0, height - 1],
                    [width - 1, height - 1],
                ]
            ],
            dtype=moves.dtype,
            device=moves.device,
        ).repeat(batch, 1, 1)
        return {
            "apply_perspective": threshold < probability,
            "start_points": start,
            "end_points": start + start * moves,
            "input_shape": tuple(images.shape),
        }

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        unbatched = images.ndim == 3
        x = images.unsqueeze(0) if unbatched else images
        out = affine.perspective_transform(
            x,
            transformation["start_points"].to(x.device),
            transformation["end_points"].to(x.device),
            interpolation,
            self.fill_value,
            self.data_format,
        )
        apply = transformation["apply_perspective"].to(x.device)
        out = torch.where(apply[:, None, None, None], out, x)
        return out.squeeze(0) if unbatched else out

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        from lamina.layers.preprocessing.image_preprocessing import (
            box_transforms as bbox,
        )

        if not training or transformation is None:
            return bounding_boxes
        return bbox.perspective(self, bounding_boxes, transformation)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
            "seed": self.seed,
        }
