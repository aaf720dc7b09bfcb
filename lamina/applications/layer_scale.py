"""`LayerScale`: a learned per-channel scale (ConvNeXt's residual branch
scale; Keras keeps it in `keras.src.applications.convnext`)."""

from __future__ import annotations

from typing import Any

from lamina import initializers
from lamina.engine.layer import Layer


class LayerScale(Layer):
    """Multiplies the input by a learned vector over its last axis.

    Reference: [Going deeper with Image Transformers](
    https://arxiv.org/abs/2103.17239).

    Args:
        init_values: the initial value of every scale (small, e.g. `1e-6`,
            so a residual branch starts almost switched off).
        projection_dim: the size of the last axis.

    Weights:
        `gamma`: `(projection_dim,)`, initialized to `init_values`.

    Input shape:
        Any, with last axis `projection_dim`.

    Output shape:
        Same as the input.

    Example:

    >>> import torch
    >>> from lamina.applications.layer_scale import LayerScale
    >>> LayerScale(0.5, 3)(torch.ones(2, 3)).tolist()
    [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]
    """

    def __init__(self, init_values: float, projection_dim: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape: Any) -> None:
        self.gamma = self.add_weight(
            shape=(self.projection_dim,),
            initializer=initializers.Constant(self.init_values),
            trainable=True,
            name="gamma",
        )

    def call(self, x: Any) -> Any:
        return x * self.gamma

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "init_values": self.init_values,
            "projection_dim": self.projection_dim,
        }

    def extra_repr(self) -> str:
        return f"projection_dim={self.projection_dim}"
