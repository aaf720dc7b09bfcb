"""`RMSNormalization`: scale each example by its root mean square."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina.engine.layer import Layer
from lamina.layers.normalization import normalization_utils as utils


class RMSNormalization(Layer):
    """Root Mean Square (RMS) normalization layer (Zhang & Sennrich, 2019).

    Normalizes each example by the root mean square of its `axis` entries
    and multiplies by a learned `scale` (initialized to ones):
    `x * rsqrt(mean(square(x), axis) + epsilon) * scale`.

    When `axis` is the trailing block of axes (the usual case) this is
    torch's fused `F.rms_norm`, as in Keras's torch backend; other axes use
    the same formula in plain ops. Half-precision inputs are normalized in
    float32.

    Args:
        axis: int or list/tuple of ints, the axes to normalize over.
            After `build` it is kept as a sorted list, as in Keras.
        epsilon: small float added to the mean square.

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.RMSNormalization()
    >>> y = layer(torch.tensor([[3.0, 4.0], [1.0, -1.0]]))
    >>> [[round(v, 3) for v in row] for row in y.tolist()]
    [[0.849, 1.131], [1.0, -1.0]]
    >>> tuple(layer.scale.shape), layer.axis
    ((2,), [-1])
    """

    def __init__(self, axis: Any = -1, epsilon: float = 1e-6, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = utils.standardize_axis(type(self).__name__, axis)
        if (
            not isinstance(epsilon, (int, float))
            or isinstance(epsilon, bool)
            or epsilon < 0
        ):
            raise ValueError(
                "Invalid value for argument `epsilon` of RMSNormalization: "
                f"expected a non-negative float. Received: epsilon={epsilon!r}"
            )
        self.epsilon = epsilon

    def build(self, input_shape: Any) -> None:
        axes = utils.resolve_axes(self, self.axis, input_shape)
        utils.require_known(self, axes, input_shape)
        self.axis = (
            sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        )
        shape = tuple(input_shape[a] for a in axes)
        self.scale = self.add_weight(
            name="scale", shape=shape, initializer="ones"
        )
        ndim = len(input_shape)
        self._axes = axes
        self._trailing = axes == tuple(range(ndim - len(axes), ndim))
        self._broadcast = utils.broadcast_shape(ndim, axes, shape)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = utils.upcast(inputs)
        scale = self.scale.to(x.dtype)
        if self._trailing:
            shape = tuple(x.shape[a] for a in self._axes)
            out = F.rms_norm(x, shape, scale, self.epsilon)
        else:
            mean_square = x.square().mean(dim=self._axes, keepdim=True)
            out = x * torch.rsqrt(mean_square + self.epsilon)
            out = out * scale.reshape(self._broadcast)
        return out.to(inputs.dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
        }

    def extra_repr(self) -> str:
        return f"axis={self.axis}, epsilon={self.epsilon}"
