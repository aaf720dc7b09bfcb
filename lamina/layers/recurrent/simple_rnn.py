"""`SimpleRNN`: a fully-connected RNN whose output is fed back as input."""

from __future__ import annotations

from lamina.layers.recurrent.base_rnn_layer import BaseRNNLayer
from lamina.layers.recurrent.simple_rnn_cell import SimpleRNNCell
from lamina.utils.python_utils import named_arguments


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
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        **kwargs,
    ):
        # Keras's full signature, so `SimpleRNN(4, "relu")` binds
        # `activation`. `use_cudnn` (lamina's switch for the fused kernel;
        # not an argument of Keras's SimpleRNN) may still come in kwargs.
        super().__init__(**named_arguments(locals()), **kwargs)
