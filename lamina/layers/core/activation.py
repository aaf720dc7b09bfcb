"""`Activation`: applies an activation function to its input."""

from __future__ import annotations

from typing import Any

from lamina import activations
from lamina.engine.layer import Layer
import torch
from lamina.typing import ActivationLike


class Activation(Layer):
    """Applies an activation function to an output.

    Args:
        activation: an activation name (`"relu"`) or callable.

    Example:

    >>> import torch, lamina
    >>> lamina.layers.Activation("relu")(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def __init__(self, activation: ActivationLike, **kwargs: Any):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.activation(inputs)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "activation": activations.serialize(self.activation),
        }

    def extra_repr(self) -> str:
        return f"activation={activations.serialize(self.activation)}"
