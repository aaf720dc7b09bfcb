"""`ConvLSTM2D`: 2D convolutional LSTM."""

from __future__ import annotations

from typing import Any

from lamina.layers.recurrent.conv_lstm import ConvLSTM
from lamina.utils.python_utils import named_arguments
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class ConvLSTM2D(ConvLSTM):
    """2D convolutional LSTM (Shi et al., 2015).

    Like `LSTM`, but the transformations of the input and of the recurrent
    state are 2D convolutions, so every timestep is an image and the states
    `h` and `c` are too. The recurrent convolution uses `"same"` padding
    and stride 1; `strides`, `padding` and `dilation_rate` shape the input
    convolution (and so the states).

    Weights (`get_weights()`, Keras layout, gates i, f, c, o), owned by
    the layer's `cell`: `kernel kernel_size + (channels, 4·filters)`,
    `recurrent_kernel kernel_size + (filters, 4·filters)`, `bias
    (4·filters,)`; the kernels are kept in torch's layout inside.

    Args:
        filters: the number of output channels (of `h` and `c`).
        kernel_size: an int or 2 ints, the convolution window.
        strides: an int or 2 ints, of the input convolution. `strides >
            1` cannot be combined with `dilation_rate > 1`.
        padding: `"valid"` or `"same"` (case-insensitive), of the input
            convolution.
        data_format: `"channels_last"` (default: `image_data_format()`)
            or `"channels_first"`.
        dilation_rate: an int or 2 ints, of the input convolution.
        activation, recurrent_activation, use_bias, kernel_initializer,
        recurrent_initializer, bias_initializer, unit_forget_bias,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: keyword-only; as in `LSTM` (defaults
            `"tanh"`, `"sigmoid"`, True, `"glorot_uniform"`,
            `"orthogonal"`, `"zeros"`, True, no regularizers or
            constraints, no dropout).
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll:
            keyword-only; as in `RNN`.

    Call arguments:
        sequences: a 5D tensor (see "Input shape").
        initial_state: `[h, c]`, each shaped as the output of one step;
            zeros by default.
        mask: boolean `(samples, time)`, False for steps to skip.
        training: whether to apply dropout.

    Input shape:
        `channels_last`: `(samples, time, rows, cols, channels)`;
        `channels_first`: `(samples, time, channels, rows, cols)`. The
        rows and cols must be known when the layer is built.

    Output shape:
        `(samples, new_rows, new_cols, filters)` (channels last) or `(samples,
        filters, new_rows, new_cols)`; with `return_sequences`, a `time` axis
        after `samples`; with `return_state`, a tuple `(output, h, c)`,
        the states shaped as one step of the output.

    Example:

    >>> import torch, lamina
    >>> x = torch.randn(2, 5, 8, 8, 3)
    >>> layer = lamina.layers.ConvLSTM2D(4, 3, padding="same")
    >>> layer(x).shape
    torch.Size([2, 8, 8, 4])
    >>> seq, h, c = lamina.layers.ConvLSTM2D(
    ...     4, 3, return_sequences=True, return_state=True)(x)
    >>> tuple(seq.shape), tuple(h.shape)
    ((2, 5, 6, 6, 4), (2, 6, 6, 4))
    >>> [w.shape for w in layer.get_weights()]
    [(3, 3, 3, 16), (3, 3, 4, 16), (16,)]
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: Any = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
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
        **kwargs: Any,
    ):
        # Keras's full signature, so positional arguments bind as in Keras.
        super().__init__(2, **named_arguments(locals()), **kwargs)
