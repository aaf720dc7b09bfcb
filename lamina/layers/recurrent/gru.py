"""`GRU`: gated recurrent unit layer."""

from __future__ import annotations

from typing import Any

from lamina.layers.recurrent.base_rnn_layer import BaseRNNLayer
from lamina.layers.recurrent.base_rnn_layer import cell_attribute
from lamina.layers.recurrent.gru_cell import GRUCell
from lamina.utils.python_utils import named_arguments
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class GRU(BaseRNNLayer):
    """Gated Recurrent Unit layer (Cho et al., 2014).

    In the standard configuration (activation tanh, recurrent_activation
    sigmoid, no recurrent dropout, `unroll=False`, `reset_after=True`) the
    layer runs on torch's fused GRU kernel, the one `torch.nn.GRU` runs
    (cuDNN on GPU), right-padded masks included; every other
    configuration runs the step loop, with the same numbers.

    Weights (`get_weights()`, Keras layout, gates z, r, h): `kernel
    (input_dim, 3·units)`, `recurrent_kernel (units, 3·units)`, `bias
    (2, 3·units)` with `reset_after=True` (input and recurrent biases),
    else `(3·units,)`; owned by the layer's `cell` (`GRUCell`), which
    stores them in `torch.nn.GRU`'s layout (gates r, z, n).

    Args:
        units: positive integer, dimensionality of the output space.
        activation, recurrent_activation, use_bias, reset_after,
        kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: as in `GRUCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll,
        zero_output_for_mask: as in `RNN`.
        use_cudnn: `"auto"` (default) uses the fused kernel when it can,
            False never, True insists (ValueError when it cannot).

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
    >>> lamina.layers.GRU(4)(x).shape
    torch.Size([32, 4])
    >>> layer = lamina.layers.GRU(4, reset_after=False)
    >>> _ = layer(x)
    >>> [w.shape for w in layer.get_weights()]
    [(8, 12), (4, 12), (12,)]
    """

    CELL_CLASS = GRUCell
    CELL_NAME = "gru_cell"

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
        reset_after: bool = True,
        use_cudnn: str = "auto",
        **kwargs: Any,
    ):
        # Keras's full signature, so `GRU(4, "relu")` binds `activation`.
        super().__init__(**named_arguments(locals()), **kwargs)

    recurrent_activation = cell_attribute("recurrent_activation")
    reset_after = cell_attribute("reset_after")
