"""`Pipeline`: a sequence of preprocessing layers applied in turn."""

from __future__ import annotations

from typing import Any

import inspect

from lamina.engine.layer import Layer
from lamina.layers import serialization
import torch


class Pipeline(Layer):
    """Applies a series of layers to an input.

    Unlike `Sequential`, a `Pipeline` is no model: it passes any input
    (a tensor or an augmentation dict of images, labels and boxes) through
    its layers in order, handing each the `training` flag where its `call`
    takes one. Meant for preprocessing, in or outside a model.

    Args:
        layers: a list of layers.
        name: the pipeline's name.

    Example:

    >>> import torch, lamina
    >>> pipeline = lamina.layers.Pipeline([
    ...     lamina.layers.AutoContrast(),
    ...     lamina.layers.RandomFlip("horizontal", seed=0)])
    >>> pipeline(torch.rand(2, 4, 4, 3) * 255).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, layers: Any, name: str | None = None):
        super().__init__(name=name)
        self._pipeline_layers = list(layers)
        for index, layer in enumerate(self._pipeline_layers):
            self.add_module(str(index), layer)
        self.built = True

    @property
    def layers(self) -> list:
        return self._pipeline_layers

    def call(
        self,
        inputs: torch.Tensor,
        training: bool = True,
        mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        for layer in self._pipeline_layers:
            kwargs = {}
            if (
                "training" in inspect.signature(layer.call).parameters
                and training is not None
            ):
                kwargs["training"] = training
            inputs = layer(inputs, **kwargs)
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    @classmethod
    def from_config(cls, config: dict) -> Pipeline:
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(  # noqa: TRY004 (Keras raises ValueError)
                "`Pipeline` config must contain a `layers` key mapping to a "
                f"list of serialized layers. Received config with "
                f"layers={layers!r}."
            )
        return cls(
            **{
                **config,
                "layers": [serialization.deserialize(x) for x in layers],
            }
        )

    def get_config(self) -> dict:
        return {
            "layers": [
                serialization.serialize(layer)
                for layer in self._pipeline_layers
            ],
            "name": self.name,
        }
