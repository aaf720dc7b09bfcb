"""`GRUCell`: one step of a gated recurrent unit layer."""

from __future__ import annotations

from typing import Any


from lamina import activations
from lamina.layers.recurrent.base_rnn_cell import BaseRNNCell
from lamina.layers.recurrent.base_rnn_cell import is_activation
from lamina.utils.python_utils import named_arguments
import torch
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class GRUCell(BaseRNNCell):
    """Cell class for `GRU`: one timestep of the GRU (Cho et al., 2014).

    Update gate `z`, reset gate `r`, candidate `hh`; the new state is
    `z·h + (1 - z)·hh`. With `reset_after=True` (the default, and the
    cuDNN / `torch.nn.GRU` formulation) the reset gate multiplies the
    recurrent projection; otherwise it multiplies the state before it.

    Weights, in Keras's layout: `kernel (input_dim, 3·units)`,
    `recurrent_kernel (units, 3·units)`, gates in Keras's order z, r, h;
    `bias (2, 3·units)` (input and recurrent biases) with
    `reset_after=True`, else `(3·units,)`. The fused kernel gets them in
    `torch.nn.GRU`'s layout (transposed, gates r, z, n), derived in each
    call.

    Args:
        units: positive integer, dimensionality of the output space.
        activation: activation of the candidate (default `"tanh"`).
        recurrent_activation: activation of the gates (default
            `"sigmoid"`).
        use_bias: whether to add biases.
        reset_after: apply the reset gate after the recurrent matrix
            multiplication (True) or before it (False).
        kernel_initializer, recurrent_initializer, bias_initializer:
            initializers (defaults `"glorot_uniform"`, `"orthogonal"`,
            `"zeros"`).
        kernel_regularizer, recurrent_regularizer, bias_regularizer:
            optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: optional
            constraints.
        dropout: fraction of the inputs to drop (one mask per sequence).
        recurrent_dropout: fraction of the recurrent state to drop.
        seed: optional integer seed of the dropout masks.

    Call arguments:
        inputs: `(batch, features)`, the inputs of one timestep.
        states: the previous state `[h]` (or `h`), `(batch, units)`.
        training: whether to apply dropout.

    Example:

    >>> import torch, lamina
    >>> cell = lamina.layers.GRUCell(4)
    >>> h, [h2] = cell(torch.ones(2, 3), [torch.zeros(2, 4)])
    >>> h.shape
    torch.Size([2, 4])
    >>> [w.shape for w in cell.get_weights()]
    [(3, 12), (4, 12), (2, 12)]
    """

    GATES = 3
    # torch's gates are r, z, n; Keras's z, r, h.
    GATE_ORDER = (1, 0, 2)

    def __init__(
        self,
        units: int,
        activation: ActivationLike = "tanh",
        recurrent_activation: ActivationLike = "sigmoid",
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
        reset_after: bool = True,
        seed: int | None = None,
        **kwargs: Any,
    ):
        # Keras's full signature, so positional arguments bind as in Keras.
        super().__init__(
            **named_arguments(locals(), "recurrent_activation", "reset_after"),
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def build(self, input_shape: Any) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Layer '{self.name}' (GRUCell) needs a known last input "
                f"dimension. Received: input_shape={input_shape}"
            )
        width = 3 * self.units
        self._add_gate_weights(
            input_dim, (2, width) if self.reset_after else (width,)
        )

    def _biases(self):
        if self.bias is None:
            return None, None
        if self.reset_after:
            return self.bias[0], self.bias[1]
        return self.bias, None

    def call(
        self, inputs: torch.Tensor, states: Any, training: bool = False
    ) -> Any:
        nested = isinstance(states, (list, tuple))
        h = states[0] if nested else states
        drop, recurrent_drop = self._masks(inputs, h, training)
        input_bias, recurrent_bias = self._biases()
        x_z, x_r, x_h = self._project(
            inputs, drop, self.kernel, input_bias
        ).chunk(3, dim=-1)
        gate = self.recurrent_activation
        if self.reset_after:
            h_z, h_r, h_h = self._project(
                h, recurrent_drop, self.recurrent_kernel, recurrent_bias
            ).chunk(3, dim=-1)
            z, r = gate(x_z + h_z), gate(x_r + h_r)
            candidate = self.activation(x_h + r * h_h)
        else:
            u = self.units
            h_z, h_r = self._project(
                h,
                None if recurrent_drop is None else recurrent_drop[:2],
                self.recurrent_kernel[:, : 2 * u],
            ).chunk(2, dim=-1)
            z, r = gate(x_z + h_z), gate(x_r + h_r)
            h_h = h if recurrent_drop is None else h * recurrent_drop[2]
            candidate = self.activation(
                x_h + (r * h_h) @ self.recurrent_kernel[:, 2 * u :]
            )
        h = z * h + (1 - z) * candidate
        return h, [h] if nested else h

    def _fused_kind(self) -> str | None:
        if (
            self.reset_after
            and self.recurrent_dropout == 0
            and is_activation(self.activation, "tanh")
            and is_activation(self.recurrent_activation, "sigmoid")
        ):
            return "gru"
        return None

    def _torch_biases(self) -> list:
        return [
            self._torch_gates(self.bias[0]),
            self._torch_gates(self.bias[1]),
        ]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(
                self.recurrent_activation
            ),
            "reset_after": self.reset_after,
        }
