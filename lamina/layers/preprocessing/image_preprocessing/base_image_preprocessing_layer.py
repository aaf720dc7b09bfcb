"""`BaseImagePreprocessingLayer`: the protocol every augmentation layer
follows, as in Keras.

`call` asks `get_random_transformation` for the random parameters of the
whole batch (drawn at once, on the images' device, from the layer's
`SeedGenerator`, with the draws Keras's torch backend makes so that a seed
gives Keras's numbers), then applies them with `transform_images` and,
for a dict input (`{"images", "labels", "bounding_boxes",
"segmentation_masks"}`), `transform_labels`, `transform_bounding_boxes`
and `transform_segmentation_masks`. A transformation is a plain dict of
tensors, so one drawn by Keras can be fed to lamina and the reverse.
"""

from __future__ import annotations

from typing import Any

import numbers

import numpy as np
import torch

from lamina import config as lamina_config
from lamina.engine.layer import Layer
from lamina.errors import format_shape
from lamina.ops._convert import to_tensor
from lamina.layers.preprocessing.image_preprocessing import color
from lamina.layers.preprocessing.image_preprocessing.arguments import (
    factor_range,
)
from lamina.random.seed_generator import SeedGenerator, torch_generator


def images_of(data: Any) -> Any:
    return data["images"] if isinstance(data, dict) else data


class BaseImagePreprocessingLayer(Layer):
    """Base class of the image augmentation layers (Keras's protocol).

    Args:
        factor: the layer's strength, checked against `_FACTOR_BOUNDS`
            when the layer uses the base factor.
        bounding_box_format: format of `bounding_boxes` inputs, e.g.
            `"xyxy"`.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)

    def __init__(
        self,
        factor: Any = None,
        bounding_box_format: Any = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.bounding_box_format = bounding_box_format
        self.data_format = lamina_config.standardize_data_format(data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(
                f"Layer {type(self).__name__} does not take a `factor` "
                f"argument. Received: factor={factor}"
            )
        self.built = True

    def _set_factor(self, factor) -> None:
        self.factor: Any = factor_range(
            type(self).__name__, "factor", factor, self._FACTOR_BOUNDS
        )

    def _init_seed(self, seed) -> None:
        """Keras's `seed` and `generator` attributes."""
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def _seed_state(self, seed):
        return self.generator if seed is None else seed

    # Draws: on the images' device, nothing drawn during a shape trace.
    def _draw(self, fn, shape, like, seed, **kwargs) -> torch.Tensor:
        device = like.device
        if device.type == "meta":
            return torch.zeros(
                shape, device=device, dtype=kwargs.get("dtype", torch.float32)
            )
        generator = torch_generator(self._seed_state(seed), device)
        return fn(
            size=tuple(shape), generator=generator, device=device, **kwargs
        )

    def _uniform(
        self,
        shape,
        like,
        minval=0.0,
        maxval=1.0,
        seed=None,
        dtype=torch.float32,
    ) -> torch.Tensor:
        draw = self._draw(
            torch.rand, tuple(shape) or (1,), like, seed, dtype=dtype
        )
        out = (maxval - minval) * draw + minval
        return out if tuple(shape) else out[0]

    def _randint(
        self, shape, like, minval, maxval, seed=None, dtype=torch.int32
    ) -> torch.Tensor:
        return self._draw(
            lambda **kw: torch.randint(minval, maxval, **kw),
            shape,
            like,
            seed,
            dtype=dtype,
        )

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        return None

    def _transform_images(self, images, transformation, interpolation):
        raise NotImplementedError(
            f"{type(self).__name__} does not implement `_transform_images`"
        )

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        images = images.to(self._compute_torch_dtype)
        if training:
            images = self._transform_images(
                images, transformation, self.interpolation
            )
        return images

    def transform_labels(
        self, labels: Any, transformation: Any, training: bool = True
    ) -> Any:
        return labels

    def transform_bounding_boxes(
        self, bounding_boxes: Any, transformation: Any, training: bool = True
    ) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} does not transform bounding boxes."
        )

    def transform_segmentation_masks(
        self,
        segmentation_masks: Any,
        transformation: Any,
        training: bool = True,
    ) -> Any:
        if training:
            return self._transform_images(
                segmentation_masks, transformation, "nearest"
            )
        return segmentation_masks

    def _batched(self, images) -> bool:
        if images.ndim not in (3, 4):
            raise ValueError(
                f"{type(self).__name__} expects rank 3 (single image) or "
                "rank 4 (batch of images) inputs. Received: "
                f"images.shape={format_shape(images.shape)}"
            )
        return images.ndim == 4

    def _check_channels(self, images, expected=(3,)) -> None:
        axis = color.channel_axis(self.data_format)
        if images.shape[axis] not in expected:
            raise ValueError(
                f"{type(self).__name__} expects images with "
                f"{' or '.join(map(str, expected))} "
                f"channels (axis {axis} for {self.data_format!r}). "
                f"Received: images.shape={format_shape(images.shape)}"
            )

    def _on_batch(self, method, value, transformation, training, batched):
        if batched:
            return method(value, transformation, training=training)
        out = method(value.unsqueeze(0), transformation, training=training)
        return out.squeeze(0)

    def call(self, data: Any, training: bool = True) -> torch.Tensor:
        data = _as_tensors(data)
        transformation = self.get_random_transformation(data, training=training)
        if not isinstance(data, dict):
            return self._on_batch(
                self.transform_images,
                data,
                transformation,
                training,
                self._batched(data),
            )
        return self._call_dict(dict(data), transformation, training)

    def _call_dict(self, data, transformation, training):
        from lamina.layers.preprocessing.image_preprocessing import (
            bounding_boxes,
        )

        batched = self._batched(data["images"])
        data["images"] = self._on_batch(
            self.transform_images,
            data["images"],
            transformation,
            training,
            batched,
        )
        if "bounding_boxes" in data:
            data["bounding_boxes"] = bounding_boxes.transform(
                self, data["bounding_boxes"], transformation, training, batched
            )
        for key, method in (
            ("labels", self.transform_labels),
            ("segmentation_masks", self.transform_segmentation_masks),
        ):
            if key in data:
                data[key] = self._on_batch(
                    method, data[key], transformation, training, batched
                )
        return data

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def extra_repr(self) -> str:
        shown = (
            "mode",
            "factor",
            "height",
            "width",
            "value_range",
            "fill_mode",
            "interpolation",
            "seed",
        )
        return ", ".join(
            f"{k}={getattr(self, k)!r}"
            for k in shown
            if getattr(self, k, None) is not None
        )

    def _transform_value_range(
        self, images, original_range, target_range, dtype=torch.float32
    ):
        return color.transform_value_range(
            images, original_range, target_range, dtype
        )

    def get_config(self) -> dict:
        config = {**super().get_config(), "data_format": self.data_format}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config


class ColorLayer(BaseImagePreprocessingLayer):
    """Shared parts of the colour layers: labels, boxes and masks pass
    through; the batch size of a rank-3 or rank-4 input."""

    def _batch_size(self, images) -> int:
        return images.shape[0] if self._batched(images) else 1

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
            "value_range": self.value_range,
            "seed": self.seed,
        }


def _as_tensors(data):
    if isinstance(data, dict):
        return {k: _as_tensors(v) for k, v in data.items()}
    if isinstance(data, (np.ndarray, list, tuple, numbers.Number)):
        return to_tensor(data)
    return data
