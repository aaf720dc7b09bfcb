"""`UnitNormalization`: scale each example to unit L2 norm."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina.engine.layer import Layer
from lamina.layers.normalization import normalization_utils as utils

# Keras's floor on the norm: all-zero slices stay zero instead of NaN.
_EPSILON = 1e-12


class UnitNormalization(Layer):
    """Unit normalization layer.

    Normalizes each example so that its L2 norm over `axis` is 1:
    `x / max(sqrt(sum(x ** 2, axis)), 1e-12)`.

    Args:
        axis: int or list/tuple of ints, the axes to normalize over
            (typically the features axis, `-1`).

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.UnitNormalization()
    >>> layer(torch.tensor([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """

    def __init__(self, axis: Any = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = utils.standardize_axis(type(self).__name__, axis)
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        self._ndim = len(input_shape)
        self._axes = utils.resolve_axes(self, self.axis, input_shape)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        axes = self._axes
        if inputs.ndim != self._ndim:
            # No weights tie the layer to one rank (as in Keras).
            axes = utils.resolve_axes(self, self.axis, inputs.shape)
        if len(axes) == 1:
            return F.normalize(inputs, p=2.0, dim=axes[0], eps=_EPSILON)
        norm = torch.linalg.vector_norm(inputs, dim=axes, keepdim=True)
        return inputs / norm.clamp_min(_EPSILON)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}

    def extra_repr(self) -> str:
        return f"axis={self.axis}"
