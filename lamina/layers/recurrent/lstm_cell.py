"""`LSTMCell`: one step of a long short-term memory layer."""

from __future__ import annotations

from typing import Any

import torch

from lamina import activations
from lamina.layers.recurrent.base_rnn_cell import BaseRNNCell
from lamina.layers.recurrent.base_rnn_cell import is_activation
from lamina.utils.python_utils import named_arguments
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class LSTMCell(BaseRNNCell):
    """Cell class for `LSTM`: one timestep of the LSTM (Hochreiter, 1997).

    With `z = inputs @ kernel + h @ recurrent_kernel + bias` split into the
    gates `i, f, c, o`: `c' = f·c + i·activation(c_gate)`,
    `h' = o·activation(c')`, with `recurrent_activation` on `i, f, o`.

    Weights, in Keras's layout: `kernel (input_dim, 4·units)`,
    `recurrent_kernel (units, 4·units)`, `bias (4·units,)`, gates in
    Keras's order i, f, c, o (also torch's). The fused kernel gets them
    transposed, the layout of `torch.nn.LSTM`, derived in each call.

    Args:
        units: positive integer, dimensionality of the output space.
        activation: activation of the cell candidate and of the output
            (default `"tanh"`).
        recurrent_activation: activation of the gates (default
            `"sigmoid"`).
        use_bias: whether to add a bias vector.
        unit_forget_bias: if True, the forget-gate block of the bias starts
            at 1 (Jozefowicz et al., 2015), the rest from
            `bias_initializer`.
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
        states: `[h, c]`, each `(batch, units)`.
        training: whether to apply dropout.

    Example:

    >>> import torch, lamina
    >>> cell = lamina.layers.LSTMCell(4)
    >>> h, [h2, c] = cell(torch.ones(2, 3), cell.get_initial_state(2))
    >>> h.shape, c.shape
    (torch.Size([2, 4]), torch.Size([2, 4]))
    >>> [w.shape for w in cell.get_weights()]
    [(3, 16), (4, 16), (16,)]
    """

    GATES = 4
    GATE_ORDER = (0, 1, 2, 3)

    def __init__(
        self,
        units: int,
        activation: ActivationLike = "tanh",
        recurrent_activation: ActivationLike = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: InitializerLike = "glorot_uniform",
        recurrent_initializer: InitializerLike = "orthogonal",
        bias_initializer: InitializerLike = "zeros",
        unit_forget_bias: bool = True,
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
        # Keras's full signature, so positional arguments bind as in Keras.
        super().__init__(
            **named_arguments(
                locals(), "recurrent_activation", "unit_forget_bias"
            ),
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self) -> Any:
        return [self.units, self.units]

    def build(self, input_shape: Any) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Layer '{self.name}' (LSTMCell) needs a known last input "
                f"dimension. Received: input_shape={input_shape}"
            )
        self._add_gate_weights(input_dim, (4 * self.units,))
        if self.use_bias:
            self._add_zero_bias()

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        return _ForgetBiasInitializer(self.bias_initializer, self.units)

    def call(
        self, inputs: torch.Tensor, states: Any, training: bool = False
    ) -> Any:
        h, c = states[0], states[1]
        drop, recurrent_drop = self._masks(inputs, h, training)
        z = self._project(inputs, drop, self.kernel, self.bias) + self._project(
            h, recurrent_drop, self.recurrent_kernel
        )
        i, f, g, o = z.chunk(4, dim=-1)
        gate = self.recurrent_activation
        c = gate(f) * c + gate(i) * self.activation(g)
        h = gate(o) * self.activation(c)
        return h, [h, c]

    def _fused_kind(self) -> str | None:
        if (
            self.recurrent_dropout == 0
            and is_activation(self.activation, "tanh")
            and is_activation(self.recurrent_activation, "sigmoid")
        ):
            return "lstm"
        return None

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(
                self.recurrent_activation
            ),
            "unit_forget_bias": self.unit_forget_bias,
        }


class _ForgetBiasInitializer:
    """`base` for the i, c, o blocks of the bias and ones for f."""

    def __init__(self, base, units: int):
        self.base, self.units = base, units

    def __call__(self, shape, dtype=None):
        u = self.units
        parts = [
            self.base((u,), dtype=dtype),
            torch.ones(u),
            self.base((2 * u,), dtype=dtype),
        ]
        parts = [torch.as_tensor(p) for p in parts]
        return torch.cat([p.to(parts[0].dtype) for p in parts])
