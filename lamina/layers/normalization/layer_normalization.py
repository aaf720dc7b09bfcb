"""`LayerNormalization`: normalize each example over its feature axes."""

from __future__ import annotations

from typing import Any

import warnings

import torch
import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.engine.layer import Layer
from lamina.errors import LaminaWarning
from lamina.layers.normalization import normalization_utils as utils
from lamina.typing import ConstraintLike, InitializerLike, RegularizerLike


class LayerNormalization(Layer):
    """Layer normalization layer (Ba et al., 2016).

    Normalizes each example independently over `axis`:
    `(x - mean) / sqrt(var + epsilon) * gamma + beta`, the mean and
    (biased) variance taken over the `axis` entries of that example.
    `gamma` and `beta` span the `axis` dimensions.

    When `axis` is the trailing block of axes (the usual case) this is
    torch's fused `F.layer_norm`; other axes use the same formula in
    plain ops. Half-precision inputs are normalized in float32.

    Args:
        axis: int or list/tuple of ints, the axes to normalize over.
            After `build` it is kept as a sorted list, as in Keras.
        epsilon: small float added to the variance.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned `gamma`.
        rms_scaling: deprecated in Keras and kept for compatibility: scale
            by `1 / sqrt(var + epsilon)` without centering (no `beta`).
            Emits a warning; prefer an RMS normalization layer.
        beta_initializer, gamma_initializer: initializers of the weights.
        beta_regularizer, gamma_regularizer: optional regularizers.
        beta_constraint, gamma_constraint: optional constraints.

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.LayerNormalization(epsilon=1e-6)
    >>> y = layer(torch.tensor([[1.0, 3.0], [2.0, 2.0]]))
    >>> [[round(v, 3) for v in row] for row in y.tolist()]
    [[-1.0, 1.0], [0.0, 0.0]]
    >>> layer.axis
    [-1]
    """

    def __init__(
        self,
        axis: Any = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: Any = True,
        beta_initializer: InitializerLike = "zeros",
        gamma_initializer: InitializerLike = "ones",
        beta_regularizer: RegularizerLike = None,
        gamma_regularizer: RegularizerLike = None,
        beta_constraint: ConstraintLike = None,
        gamma_constraint: ConstraintLike = None,
        **kwargs: Any,
    ):
        # Keras takes the deprecated `rms_scaling` as a keyword only.
        rms_scaling = kwargs.pop("rms_scaling", False)
        super().__init__(**kwargs)
        if rms_scaling:
            warnings.warn(
                "LayerNormalization: `rms_scaling=True` is deprecated in "
                "Keras (it scales by the variance, not the root mean "
                "square); it is kept only for compatibility.",
                LaminaWarning,
                stacklevel=2,
            )
        self.axis = utils.standardize_axis(type(self).__name__, axis)
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        # As in Keras: inputs keep their dtype (statistics in >= float32).
        self.autocast = False

    def build(self, input_shape: Any) -> None:
        axes = utils.resolve_axes(self, self.axis, input_shape)
        utils.require_known(self, axes, input_shape)
        self.axis = (
            sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        )
        shape = tuple(input_shape[a] for a in axes)
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale or self.rms_scaling
            else None
        )
        self.beta = (
            self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center and not self.rms_scaling
            else None
        )
        ndim = len(input_shape)
        self._axes = axes
        self._trailing = axes == tuple(range(ndim - len(axes), ndim))
        self._broadcast = utils.broadcast_shape(ndim, axes, shape)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = utils.upcast(inputs)
        gamma = None if self.gamma is None else self.gamma.to(x.dtype)
        beta = None if self.beta is None else self.beta.to(x.dtype)
        if self.rms_scaling:
            variance = torch.var(x, dim=self._axes, keepdim=True, correction=0)
            out = x * torch.rsqrt(variance + self.epsilon)
            if gamma is not None:
                out = out * gamma.reshape(self._broadcast)
        elif self._trailing:
            shape = tuple(x.shape[a] for a in self._axes)
            out = F.layer_norm(x, shape, gamma, beta, self.epsilon)
        else:
            out = self._general(x, gamma, beta)
        return out.to(self._compute_torch_dtype)

    def _general(self, x, gamma, beta):
        variance, mean = torch.var_mean(
            x, dim=self._axes, keepdim=True, correction=0
        )
        inv = torch.rsqrt(variance + self.epsilon)
        if gamma is not None:
            inv = inv * gamma.reshape(self._broadcast)
        shift = -mean * inv
        if beta is not None:
            shift = shift + beta.reshape(self._broadcast)
        return torch.addcmul(shift, x, inv)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }

    def extra_repr(self) -> str:
        return f"axis={self.axis}, epsilon={self.epsilon}"
