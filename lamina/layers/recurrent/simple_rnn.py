"""`SimpleRNN`: a fully-connected RNN whose output is fed back as input."""

from __future__ import annotations

from typing import Any

from lamina.layers.recurrent.base_rnn_layer import BaseRNNLayer
from lamina.layers.recurrent.simple_rnn_cell import SimpleRNNCell
from lamina.utils.python_utils import named_arguments
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class SimpleRNN(BaseRNNLayer):
    """Fully-connected RNN where the output is fed back to the input:
    `h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)`.

    With activation tanh or relu and no recurrent dropout it runs on
    torch's fused `rnn_tanh` / `rnn_relu` kernels; otherwise on the step
    loop. Weights (`get_weights()`, Keras layout): `kernel (input_dim,
    units)`, `recurrent_kernel (units, units)`, `bias (units,)`, owned by
    the layer's `cell` (`SimpleRNNCell`).

    Args:
        units: positive integer, dimensionality of the output space.
        activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint,
        bias_constraint, dropout, recurrent_dropout, seed: as in
            `SimpleRNNCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll,
        zero_output_for_mask: as in `RNN`.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: `[h]`, `(batch, units)`; zeros by default.
        mask: boolean `(batch, timesteps)`, False for steps to skip.
        training: whether to apply dropout.

    Input shape:
        3-D tensor `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)`, or `(batch, timesteps, units)` with
        `return_sequences`; with `return_state`, a tuple `(output, h)`.

    Example:

    >>> import torch, lamina
    >>> x = torch.ones(32, 10, 8)
    >>> lamina.layers.SimpleRNN(4)(x).shape
    torch.Size([32, 4])
    >>> seq, h = lamina.layers.SimpleRNN(
    ...     4, return_sequences=True, return_state=True)(x)
    >>> seq.shape, h.shape
    (torch.Size([32, 10, 4]), torch.Size([32, 4]))
    """

    CELL_CLASS = SimpleRNNCell
    CELL_NAME = "simple_rnn_cell"
    CONFIG_OMITS = ("seed",)  # as Keras's SimpleRNN config

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
        activity_regularizer: RegularizerLike = None,
        kernel_constraint: ConstraintLike = None,
        recurrent_constraint: ConstraintLike = None,
        bias_constraint: ConstraintLike = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ):
        # Keras's full signature, so `SimpleRNN(4, "relu")` binds
        # `activation`. `use_cudnn` (lamina's switch for the fused kernel;
        # not an argument of Keras's SimpleRNN) may still come in kwargs.
        super().__init__(**named_arguments(locals()), **kwargs)
