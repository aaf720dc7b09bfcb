"""`Dense`: `activation(inputs @ kernel + bias)`."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import quantizers
from lamina import regularizers
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.quantization.dense import DENSE
from lamina.quantizers.quantization_config import from_layer_argument
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class Dense(Layer):
    """Just your regular densely-connected NN layer.

    Computes `output = activation(dot(input, kernel) + bias)`. Inputs of rank
    greater than 2 are multiplied along their last axis.

    Weights: `kernel` of shape `(input_dim, units)` (default init
    `glorot_uniform`), `bias` of shape `(units,)` (default `zeros`). The
    kernel is kept in Keras's layout and used as is (`addmm`, or
    `F.linear` on a transposed view for N-D inputs): no copy per call.

    Args:
        units: positive integer, the output dimension.
        activation: activation function (name or callable); None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers.
        kernel_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer on the output.
        kernel_constraint, bias_constraint: optional constraints.

    Input shape:
        N-D tensor `(batch_size, ..., input_dim)`.

    Output shape:
        N-D tensor `(batch_size, ..., units)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Dense(3, activation="relu")
    >>> layer(torch.ones(2, 5)).shape
    torch.Size([2, 3])
    >>> [w.shape for w in layer.get_weights()]
    [(5, 3), (3,)]
    """

    # `layer.quantize("int8" | "int4" | "float8")`: lamina/quantization/.
    _quantization_handler = DENSE

    def __init__(
        self,
        units: int,
        activation: ActivationLike = None,
        use_bias: bool = True,
        kernel_initializer: InitializerLike = "glorot_uniform",
        bias_initializer: InitializerLike = "zeros",
        kernel_regularizer: RegularizerLike = None,
        bias_regularizer: RegularizerLike = None,
        activity_regularizer: RegularizerLike = None,
        kernel_constraint: ConstraintLike = None,
        bias_constraint: ConstraintLike = None,
        lora_rank: Any = None,
        lora_alpha: Any = None,
        quantization_config: Any = None,
        **kwargs: Any,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                invalid_argument("Dense", "units", "a positive integer", units)
            )
        if lora_rank is not None:
            raise ValueError(
                "Dense: LoRA is not part of core layers in lamina. "
                f"Received: lora_rank={lora_rank}"
            )
        self.quantization_config = from_layer_argument(quantization_config)
        self.units = units
        self.activation = activations.get(activation)
        self._linear = self.activation is activations.get("linear")
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Layer '{self.name}' (Dense) needs a known last dimension. "
                f"Received: input_shape={input_shape}"
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = (
            self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs: torch.Tensor) -> Any:
        if inputs.ndim == 2 and self.bias is not None:
            # addmm reads the (in, out) kernel as is: measured faster here
            # than F.linear on its transpose (and than nn.Linear's layout).
            y = torch.addmm(self.bias, inputs, self.kernel)
        else:
            y = F.linear(inputs, self.kernel.t(), self.bias)
        if self._linear:
            return y
        if self.activation is activations.relu:
            # What `activations.relu` runs with its defaults, minus three
            # Python frames (its argument checks and the op wrapper).
            return torch.relu(y)
        return self.activation(y)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(
                self.kernel_initializer
            ),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(
                self.kernel_regularizer
            ),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": quantizers.serialize(
                self.quantization_config
            ),
        }

    def extra_repr(self) -> str:
        act = activations.serialize(self.activation)
        return f"units={self.units}, activation={act}, use_bias={self.use_bias}"
