"""`PReLU`: leaky ReLU with a learned slope per unit."""

from __future__ import annotations

from typing import Any

import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import format_shape
import torch
from lamina.typing import ConstraintLike, InitializerLike, RegularizerLike


class PReLU(Layer):
    """Parametric Rectified Linear Unit activation layer.

    Formula:
    ``` python
    f(x) = alpha * x for x < 0
    f(x) = x for x >= 0
    ```
    where `alpha` is a learned array with the same shape as x.

    Weights: `alpha` of shape `input_shape[1:]`, with size 1 on each of
    `shared_axes` (default init `"zeros"`).

    Args:
        alpha_initializer: initializer function for the weights.
        alpha_regularizer: regularizer for the weights.
        alpha_constraint: constraint for the weights.
        shared_axes: the axes along which to share learnable parameters for
            the activation function. For example, if the incoming feature
            maps are from a 2D convolution with output shape
            `(batch, height, width, channels)`, and you wish to share
            parameters across space so that each filter only has one set of
            parameters, set `shared_axes=[1, 2]`.

    Input shape:
        Arbitrary, with known sizes on the axes that are not shared.

    Output shape:
        Same shape as input.

    Raises:
        ValueError: at build time, for `shared_axes` outside
            `1..rank - 1`, or an unknown size on an axis that is not shared.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.PReLU(alpha_initializer="ones", shared_axes=[1])
    >>> layer(torch.tensor([[[-2.0, 3.0]]])).tolist()
    [[[-2.0, 3.0]]]
    >>> [w.shape for w in layer.get_weights()]
    [(1, 2)]
    """

    def __init__(
        self,
        alpha_initializer: InitializerLike = "Zeros",
        alpha_regularizer: RegularizerLike = None,
        alpha_constraint: ConstraintLike = None,
        shared_axes: Any = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        shared = set(self.shared_axes or ())
        ndim = len(input_shape)
        bad = sorted(a for a in shared if not 1 <= a < ndim)
        param_shape = [
            1 if i in shared else input_shape[i] for i in range(1, ndim)
        ]
        if bad or None in param_shape:
            raise ValueError(
                f"Layer '{self.name}' (PReLU): `shared_axes` must be axes "
                f"1..{ndim - 1} of the input, and every other non-batch "
                "axis must have a known size. Received: "
                f"shared_axes={self.shared_axes}, input shape "
                f"{format_shape(input_shape)}"
            )
        self.alpha = self.add_weight(
            name="alpha",
            shape=param_shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {i: input_shape[i] for i in range(1, ndim) if i not in shared}
        self.input_spec = InputSpec(ndim=ndim, axes=axes)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # Keras's form `relu(x) - alpha * relu(-x)` (same rounding).
        return F.relu(inputs) - self.alpha * F.relu(-inputs)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }

    def extra_repr(self) -> str:
        return f"shared_axes={self.shared_axes}"
