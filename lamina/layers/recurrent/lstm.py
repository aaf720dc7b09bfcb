"""`LSTM`: long short-term memory layer."""

from __future__ import annotations

from typing import Any

from lamina.layers.recurrent.base_rnn_layer import BaseRNNLayer
from lamina.layers.recurrent.base_rnn_layer import cell_attribute
from lamina.layers.recurrent.lstm_cell import LSTMCell
from lamina.utils.python_utils import named_arguments
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class LSTM(BaseRNNLayer):
    """Long Short-Term Memory layer (Hochreiter, 1997).

    In the standard configuration (activation tanh, recurrent_activation
    sigmoid, no recurrent dropout, `unroll=False`) the layer runs on
    torch's fused LSTM kernel, the one `torch.nn.LSTM` runs (cuDNN on GPU),
    right-padded masks included (as packed sequences); every other
    configuration runs the step loop, with the same numbers.

    Weights (`get_weights()`, Keras layout, gates i, f, c, o): `kernel
    (input_dim, 4·units)`, `recurrent_kernel (units, 4·units)`, `bias
    (4·units,)`, owned by the layer's `cell` (`LSTMCell`), which stores
    them in `torch.nn.LSTM`'s layout.

    Args:
        units: positive integer, dimensionality of the output space.
        activation, recurrent_activation, use_bias, unit_forget_bias,
        kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: as in `LSTMCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll,
        zero_output_for_mask: as in `RNN`.
        use_cudnn: `"auto"` (default) uses the fused kernel when it can,
            False never, True insists (ValueError when it cannot).

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: `[h, c]`, each `(batch, units)`; zeros by default.
        mask: boolean `(batch, timesteps)`, False for steps to skip.
        training: whether to apply dropout.

    Input shape:
        3-D tensor `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)`, or `(batch, timesteps, units)` with
        `return_sequences`; with `return_state`, a tuple `(output, h, c)`.

    Example:

    >>> import torch, lamina
    >>> x = torch.ones(32, 10, 8)
    >>> lamina.layers.LSTM(4)(x).shape
    torch.Size([32, 4])
    >>> seq, h, c = lamina.layers.LSTM(
    ...     4, return_sequences=True, return_state=True)(x)
    >>> seq.shape, h.shape, c.shape
    (torch.Size([32, 10, 4]), torch.Size([32, 4]), torch.Size([32, 4]))
    """

    CELL_CLASS = LSTMCell
    CELL_NAME = "lstm_cell"

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
        activity_regularizer: RegularizerLike = None,
        kernel_constraint: ConstraintLike = None,
        recurrent_constraint: ConstraintLike = None,
        bias_constraint: ConstraintLike = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        use_cudnn: str = "auto",
        **kwargs: Any,
    ):
        # Keras's full signature, so `LSTM(4, "relu")` binds `activation`.
        super().__init__(**named_arguments(locals()), **kwargs)

    recurrent_activation = cell_attribute("recurrent_activation")
    unit_forget_bias = cell_attribute("unit_forget_bias")
