"""`GroupNormalization`: normalize each example over groups of channels."""

from __future__ import annotations

from typing import Any

import numbers

import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import format_shape
from lamina.errors import invalid_argument
from lamina.layers.normalization import normalization_utils as utils
import torch
from lamina.typing import ConstraintLike, InitializerLike, RegularizerLike


class GroupNormalization(Layer):
    """Group normalization layer (Wu et al., 2018).

    Splits the channels into `groups` and normalizes each group of each
    example with its own mean and (biased) variance, taken over the group's
    channels and every other non-batch axis; then scales and shifts with a
    per-channel `gamma` and `beta`. `groups=1` normalizes over all channels
    (like layer normalization with a per-channel scale); `groups=-1` (one
    channel per group) is instance normalization.

    This is torch's `F.group_norm`; a `channels_last` input reaches it as a
    `torch.channels_last` view, without copies.

    Args:
        groups: number of groups, a positive divisor of the number of
            channels, or -1 for one group per channel (set to the number of
            channels when the layer is built, as in Keras).
        axis: the channel axis, not the batch axis.
        epsilon: small float added to the variance.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned `gamma`.
        beta_initializer, gamma_initializer: initializers of the weights.
        beta_regularizer, gamma_regularizer: optional regularizers.
        beta_constraint, gamma_constraint: optional constraints.

    Input shape:
        Arbitrary, of rank >= 2.

    Output shape:
        Same shape as input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.GroupNormalization(groups=2, epsilon=1e-6)
    >>> y = layer(torch.tensor([[1.0, 3.0, 5.0, 5.0]]))
    >>> [round(v, 3) for v in y[0].tolist()]
    [-1.0, 1.0, 0.0, 0.0]
    """

    def __init__(
        self,
        groups: Any = 32,
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
        super().__init__(**kwargs)
        name = type(self).__name__
        if (
            not isinstance(groups, numbers.Integral)
            or isinstance(groups, bool)
            or (groups <= 0 and groups != -1)
        ):
            raise ValueError(
                invalid_argument(
                    name,
                    "groups",
                    "a positive integer (or -1 for instance normalization)",
                    groups,
                )
            )
        if not isinstance(axis, numbers.Integral) or isinstance(axis, bool):
            raise ValueError(invalid_argument(name, "axis", "an int", axis))
        self.groups = int(groups)
        self.axis = int(axis)
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape: Any) -> None:
        (axis,) = utils.resolve_axes(self, self.axis, input_shape)
        if axis == 0:
            raise ValueError(
                self._error(
                    "the channel axis cannot be the batch axis", input_shape
                )
            )
        utils.require_known(self, (axis,), input_shape)
        dim = input_shape[axis]
        if self.groups == -1:
            self.groups = dim
        if self.groups > dim:
            raise ValueError(
                self._error(
                    f"groups={self.groups} is more than the number of channels "
                    f"({dim})",
                    input_shape,
                )
            )
        if dim % self.groups:
            raise ValueError(
                self._error(
                    f"groups={self.groups} does not divide the number of "
                    f"channels ({dim})",
                    input_shape,
                )
            )
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=(dim,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                name="beta",
                shape=(dim,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center
            else None
        )
        self._channel_axis = axis
        self.input_spec = InputSpec(
            ndim=len(input_shape), axes={self.axis: dim}
        )

    def _error(self, problem: str, input_shape) -> str:
        return (
            f"Layer '{self.name}' (GroupNormalization): {problem}. Received: "
            f"groups={self.groups}, axis={self.axis}, "
            f"input_shape={format_shape(input_shape)}"
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = utils.upcast(inputs)
        gamma = None if self.gamma is None else self.gamma.to(x.dtype)
        beta = None if self.beta is None else self.beta.to(x.dtype)
        view, restore = self._channels_first(x)
        if gamma is None and beta is not None:
            # torch's group-norm backward fails for a bias without a weight
            # ("tensor does not have a device"): add the offset outside.
            out = F.group_norm(view, self.groups, None, None, self.epsilon)
            out = out + beta.reshape((-1,) + (1,) * (view.ndim - 2))
        else:
            out = F.group_norm(view, self.groups, gamma, beta, self.epsilon)
        return restore(out).to(self._compute_torch_dtype)

    def _channels_first(self, x):
        axis = self._channel_axis
        if axis == 1 or x.ndim == 2:
            return x, lambda y: y
        if axis == x.ndim - 1 and x.is_contiguous():
            # (N, ..., C) -> (N, S, 1, C) -> (N, C, S, 1): a channels_last
            # view of rank 4, which torch's group norm reads natively.
            shape = x.shape
            view = x.reshape(shape[0], -1, 1, shape[-1]).permute(0, 3, 1, 2)
            return view, lambda y: y.permute(0, 2, 3, 1).reshape(shape)
        return x.movedim(axis, 1), lambda y: y.movedim(1, axis)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }

    def extra_repr(self) -> str:
        return f"groups={self.groups}, axis={self.axis}"
