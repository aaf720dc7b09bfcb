"""`SimpleRNNCell`: one step of a fully-connected recurrent layer."""

from __future__ import annotations

from typing import Any

from lamina.layers.recurrent.base_rnn_cell import BaseRNNCell
from lamina.layers.recurrent.base_rnn_cell import is_activation


class SimpleRNNCell(BaseRNNCell):
    """Cell class for `SimpleRNN`: one timestep of
    `output = activation(inputs @ kernel + prev_output @ recurrent_kernel
    + bias)`.

    `RNN(SimpleRNNCell(...))` processes a whole sequence. Weights, in
    Keras's layout: `kernel (input_dim, units)`, `recurrent_kernel (units,
    units)`, `bias (units,)`.

    Args:
        units: positive integer, dimensionality of the output space.
        activation: activation function; default `"tanh"`, None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of `kernel` (default
            `"glorot_uniform"`).
        recurrent_initializer: initializer of `recurrent_kernel` (default
            `"orthogonal"`).
        bias_initializer: initializer of `bias` (default `"zeros"`).
        kernel_regularizer, recurrent_regularizer, bias_regularizer:
            optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: optional
            constraints.
        dropout: float in [0, 1], fraction of the inputs to drop.
        recurrent_dropout: float in [0, 1], fraction of the recurrent state
            to drop.
        seed: optional integer seed of the dropout masks.

    Call arguments:
        sequence: `(batch, features)`, the inputs of one timestep.
        states: the previous state `[h]` (or `h`), `(batch, units)`.
        training: whether to apply dropout.

    Example:

    >>> import torch, lamina
    >>> cell = lamina.layers.SimpleRNNCell(4)
    >>> out, [h] = cell(torch.ones(2, 3), [torch.zeros(2, 4)])
    >>> out.shape, bool((out == h).all())
    (torch.Size([2, 4]), True)
    >>> rnn = lamina.layers.RNN(cell, return_sequences=True)
    >>> rnn(torch.ones(2, 5, 3)).shape
    torch.Size([2, 5, 4])
    """

    GATES = 1
    GATE_ORDER = (0,)

    def build(self, input_shape: Any) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Layer '{self.name}' (SimpleRNNCell) needs a known last "
                f"input dimension. Received: input_shape={input_shape}"
            )
        self._add_gate_weights(input_dim, (self.units,))
        if self.use_bias:
            self._add_zero_bias()

    def call(self, sequence: Any, states: Any, training: bool = False) -> Any:
        nested = isinstance(states, (list, tuple))
        prev = states[0] if nested else states
        drop, recurrent_drop = self._masks(sequence, prev, training)
        output = self.activation(
            self._project(sequence, drop, self.kernel, self.bias)
            + self._project(prev, recurrent_drop, self.recurrent_kernel)
        )
        return output, [output] if nested else output

    def _fused_kind(self) -> str | None:
        if self.recurrent_dropout:
            return None
        for name in ("tanh", "relu"):
            if is_activation(self.activation, name):
                return "rnn_" + name
        return None
