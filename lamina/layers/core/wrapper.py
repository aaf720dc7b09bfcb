"""`Wrapper`: the base of layers that wrap another layer."""

from __future__ import annotations

from typing import Any

from lamina.engine.layer import Layer
from lamina.saving import serialization


def build_child(parent: Layer, child: Layer, input_shape: Any) -> None:
    """Build the sublayer `child` for `input_shape` on the device the
    parent is being built on (a layer built by its parent never sees the
    inputs itself)."""
    if child.built:
        return
    child._build_device = getattr(parent, "_build_device", None)
    try:
        child.build(input_shape)
    finally:
        child._build_device = None
    child._build_shapes = input_shape


class Wrapper(Layer):
    """Abstract base of layers that take another layer and augment it
    (`TimeDistributed`, `SpectralNormalization`).

    It holds the wrapped layer as `self.layer` (a submodule, so its weights
    are the wrapper's), builds it on the wrapper's input shape unless a
    subclass builds it otherwise, and writes it into the config as Keras
    does (`{"layer": <serialized layer>, ...}`).

    Args:
        layer: the `Layer` to wrap.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import torch, lamina
    >>> class Doubled(lamina.layers.Wrapper):
    ...     def call(self, inputs):
    ...         return 2 * self.layer(inputs)
    >>> layer = Doubled(lamina.layers.Dense(3))
    >>> layer(torch.ones(2, 4)).shape
    torch.Size([2, 3])
    """

    def __init__(self, layer: Layer, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Invalid value for argument `layer` of {type(self).__name__}"
                ": expected a lamina `Layer` instance (wrap a torch module in "
                f"`TorchModuleWrapper` first). Received: layer={layer!r}"
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape: Any = None) -> None:
        build_child(self, self.layer, input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "layer": serialization.serialize_keras_object(self.layer),
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None) -> Wrapper:
        config = dict(config)
        config["layer"] = serialization.deserialize_keras_object(
            config["layer"], custom_objects=custom_objects
        )
        return super().from_config(config)

    def extra_repr(self) -> str:
        return f"layer={self.layer.name}"
