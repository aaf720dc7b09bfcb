"""`BaseRNNCell`: what SimpleRNN, LSTM and GRU cells share.

Configuration, zero initial states, and the one place where Keras's
weight layout meets torch's fused kernels (dropout lives in
`DropoutRNNCell`).

Layout. The cells store Keras's layout: `kernel` `(input_dim, gates *
units)`, `recurrent_kernel` `(units, gates * units)`, gates in Keras's
order (LSTM i, f, c, o; GRU z, r, h). That is what users read, assign,
constrain, regularize and differentiate. The step loop multiplies by
them as they are (`x @ kernel`); torch's fused kernels want `(gates *
units, input_dim)` and their own gate order (GRU: r, z, n), which
`_fused_params` derives inside each call: a transposed copy of a few
small matrices per sequence, differentiable, so gradients reach the
stored weights in Keras's shape.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.errors import invalid_argument
from lamina.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike

# What torch's fused kernels compute, by activation name (a user may pass
# either the lamina function or torch's).
_TORCH_FUNCTIONS = {
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
}


def is_activation(fn: Any, name: str) -> bool:
    """Whether `fn` is the activation `name` (lamina's or torch's)."""
    return fn is activations.get(name) or fn is _TORCH_FUNCTIONS[name]


class BaseRNNCell(DropoutRNNCell):
    """Shared base of the built-in RNN cells (not used directly).

    Subclasses set `GATES` (gate blocks per weight) and `GATE_ORDER`
    (torch gate `k` holds Keras gate `GATE_ORDER[k]`), build their weights
    with `_add_gate_weights` and implement `call(inputs, states,
    training)`.
    """

    GATES = 1
    GATE_ORDER: tuple = (0,)

    def __init__(
        self,
        units: int,
        activation: ActivationLike = "tanh",
        use_bias: bool = True,
        kernel_initializer: InitializerLike = "glorot_uniform",
        recurrent_initializer: InitializerLike = "orthogonal",
        bias_initializer: InitializerLike = "zeros",
        kernel_regularizer: RegularizerLike = None,
        recurrent_regularizer: RegularizerLike = None,
        bias_regularizer: RegularizerLike = None,
        kernel_constraint: ConstraintLike = None,
        recurrent_constraint: ConstraintLike = None,
        bias_constraint: ConstraintLike = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        kwargs.pop("implementation", None)  # Keras's kernel choice; unused
        name = type(self).__name__
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                invalid_argument(name, "units", "a positive integer", units)
            )
        super().__init__(
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            **kwargs,
        )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    @property
    def state_size(self) -> Any:
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    # -- weights -----------------------------------------------------------

    def _add_gate_weights(self, input_dim: int, bias_shape: tuple) -> None:
        """`kernel`, `recurrent_kernel` and (with `use_bias`) `bias`, in
        Keras's shapes."""
        width = self.GATES * self.units
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel",
            shape=(self.units, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias: Any = (
            self.add_weight(
                name="bias",
                shape=bias_shape,
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )

    def _bias_initializer(self):
        return self.bias_initializer

    # -- fused kernels -----------------------------------------------------

    def _fused_kind(self) -> str | None:
        """The name of torch's fused kernel computing this cell, if any."""
        return None

    def _torch_gates(self, tensor: torch.Tensor) -> torch.Tensor:
        """Gate blocks along the last axis reordered from Keras's order to
        torch's (torch gate `k` is Keras gate `GATE_ORDER[k]`)."""
        if tuple(self.GATE_ORDER) == tuple(range(self.GATES)):
            return tensor
        blocks = tensor.split(self.units, dim=-1)
        return torch.cat([blocks[k] for k in self.GATE_ORDER], dim=-1)

    def _torch_matrix(self, weight: torch.Tensor) -> torch.Tensor:
        """A Keras-layout kernel as torch's `(gates * units, in)`."""
        return self._torch_gates(weight).t().contiguous()

    def _fused_params(self) -> list:
        """The flat weight list torch's fused kernel takes, derived from
        the Keras-layout weights (differentiable)."""
        params = [
            self._torch_matrix(self.kernel),
            self._torch_matrix(self.recurrent_kernel),
        ]
        if self.use_bias:
            params += self._torch_biases()
        return params

    def _torch_biases(self) -> list:
        return [self._torch_gates(self.bias), self._zero_bias]

    def _add_zero_bias(self) -> None:
        # torch's kernels add two biases; Keras has one (the second is 0).
        self.register_buffer(
            "_zero_bias", torch.zeros(self.GATES * self.units), persistent=False
        )

    # -- states and config -------------------------------------------------

    def get_initial_state(self, batch_size: Any = None) -> list:
        sizes = (
            self.state_size
            if isinstance(self.state_size, (list, tuple))
            else [self.state_size]
        )
        return [
            torch.zeros(batch_size, d, dtype=self._compute_torch_dtype)
            for d in sizes
        ]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **{
                f"{k}_initializer": initializers.serialize(
                    getattr(self, f"{k}_initializer")
                )
                for k in ("kernel", "recurrent", "bias")
            },
            **{
                f"{k}_regularizer": regularizers.serialize(
                    getattr(self, f"{k}_regularizer")
                )
                for k in ("kernel", "recurrent", "bias")
            },
            **{
                f"{k}_constraint": constraints.serialize(
                    getattr(self, f"{k}_constraint")
                )
                for k in ("kernel", "recurrent", "bias")
            },
        }

    def extra_repr(self) -> str:
        return (
            f"units={self.units}, "
            f"activation={activations.serialize(self.activation)}"
        )
