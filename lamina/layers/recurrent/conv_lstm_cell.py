"""`ConvLSTMCell`: one step of a convolutional LSTM: a convolution layer
(`ConvCore`: geometry, Keras's padding, torch's view of the kernels) with
the dropout of the RNN cells. Keras does not export it.

The input convolution does not depend on the state, so `ConvLSTM` runs it
over every timestep at once (`sequence_gates`) and leaves only the
recurrent convolution to the step loop (`recurrent_step`).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.convolutional.base_conv import CONV_FUNCTIONS
from lamina.layers.convolutional.conv_core import ConvCore
from lamina.layers.recurrent.conv_lstm_utils import check_geometry
from lamina.layers.recurrent.conv_lstm_utils import state_shape
from lamina.layers.recurrent.conv_lstm_utils import per_gate
from lamina.layers.recurrent.conv_lstm_utils import recurrent_padding
from lamina.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.recurrent.lstm_cell import _ForgetBiasInitializer
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class ConvLSTMCell(ConvCore, DropoutRNNCell):
    """Cell class of the ConvLSTM layers (Shi et al., 2015): an LSTM step
    whose input and recurrent transformations are convolutions.

    With `z = conv(x, kernel) + bias + conv_same(h, recurrent_kernel)` split
    along the channels into the gates `i, f, c, o`:
    `c' = f·c + i·activation(c_gate)`, `h' = o·activation(c')`, with
    `recurrent_activation` on `i, f, o`. The recurrent convolution always
    uses `"same"` padding, stride 1 and no dilation, so `h` and `c` keep the
    spatial size of the input convolution's output.

    Weights (`get_weights()`, Keras layout, gates i, f, c, o): `kernel
    kernel_size + (channels, 4·filters)` (default `glorot_uniform`),
    `recurrent_kernel kernel_size + (filters, 4·filters)` (`orthogonal`),
    `bias (4·filters,)` (zeros, forget block ones with `unit_forget_bias`);
    torch's convolutions get `(4·filters, in) + kernel_size` views of the
    kernels.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels of `h` and `c`.
        kernel_size, strides, dilation_rate: an int or `rank` ints, for
            the input convolution. `strides > 1` cannot be combined with
            `dilation_rate > 1`.
        padding: `"valid"` or `"same"`, for the input convolution.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        activation: of the cell candidate and the output (`"tanh"`).
        recurrent_activation: of the gates (`"sigmoid"`).
        use_bias: whether to add a bias vector.
        kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint: of the
            three weights.
        unit_forget_bias: start the forget-gate bias at 1 (Jozefowicz et
            al., 2015).
        dropout, recurrent_dropout: fractions of the inputs and of `h` to
            drop; one mask per gate, drawn once per sequence, as in Keras.
        seed: optional integer seed of the dropout masks.

    Call arguments:
        inputs: one timestep, `(batch, *spatial, channels)` (or channels
            first).
        states: `[h, c]`, each `(batch, *output_spatial, filters)`.
        training: whether to apply dropout.

    Example:

    >>> import torch
    >>> cell = ConvLSTMCell(2, filters=4, kernel_size=3, padding="same")
    >>> x = torch.ones(2, 8, 8, 3)
    >>> cell.build(x.shape)
    >>> h, [_, c] = cell(x, cell.get_initial_state(2))
    >>> h.shape, c.shape
    (torch.Size([2, 8, 8, 4]), torch.Size([2, 8, 8, 4]))
    >>> [w.shape for w in cell.get_weights()]
    [(3, 3, 3, 16), (3, 3, 4, 16), (16,)]
    """

    GATES = 4

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | tuple[int, ...] = 1,
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
        check_geometry(
            type(self).__name__,
            rank,
            filters,
            kernel_size,
            strides,
            padding,
            dilation_rate,
        )
        super().__init__(
            rank,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            **kwargs,
        )
        self.filters = int(filters)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self._conv = CONV_FUNCTIONS[self._torch_rank]
        self._channel_axis = -1 if self._channels_last else 1
        self._unit = self._torch_tuple((1,) * rank, 1)
        symmetric, self._recurrent_pad = recurrent_padding(self.kernel_size)
        self._recurrent_padding = self._torch_tuple(symmetric, 0)
        self.state_shape: tuple | None = None  # per sample, once built

    @property
    def state_size(self) -> list:
        """Channels of `h` and `c` (full shapes: `get_initial_state`)."""
        return [self.filters, self.filters]

    def _mask_count(self) -> int:
        return self.GATES  # Keras draws one mask per gate, always

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        shape = state_shape(
            f"Layer '{self.name}' ({type(self).__name__})",
            input_shape,
            self._spatial(input_shape),
            (self.kernel_size, self.strides, self.padding, self.dilation_rate),
            self.filters,
            self._channels_last,
        )
        self._check_input_size(input_shape)
        width = 4 * self.filters
        self.kernel = self._add_kernel(
            "kernel",
            self.kernel_size + (channels, width),
            self.kernel_initializer,
            self.kernel_regularizer,
            self.kernel_constraint,
        )
        self.recurrent_kernel = self._add_kernel(
            "recurrent_kernel",
            self.kernel_size + (self.filters, width),
            self.recurrent_initializer,
            self.recurrent_regularizer,
            self.recurrent_constraint,
        )
        initializer = (
            _ForgetBiasInitializer(self.bias_initializer, self.filters)
            if self.unit_forget_bias
            else self.bias_initializer
        )
        self.bias = (
            self.add_weight(
                name="bias",
                shape=(width,),
                initializer=initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )
        self.state_shape = shape

    def get_initial_state(self, batch_size: Any = None) -> list:
        """Zero `[h, c]`, each `(batch_size,) + state_shape`."""
        if self.state_shape is None:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) is not built, "
                "and its states' shape follows the input: build it first. "
                f"Received: batch_size={batch_size}"
            )
        zeros = torch.zeros(
            (batch_size,) + self.state_shape,
            dtype=self._compute_torch_dtype,
            device=self.kernel.device,
        )
        return [zeros, zeros.clone()]

    def call(
        self, inputs: torch.Tensor, states: list, training: bool = False
    ) -> tuple:
        gates = self._input_gates(inputs, self._input_mask(inputs, training))
        return self.recurrent_step(gates, states, training)

    def sequence_gates(
        self, sequences: torch.Tensor, training: bool = False
    ) -> torch.Tensor:
        """The input convolution of every timestep of `(batch, steps,
        ...)` at once: `(batch, steps, 4·filters, *output_spatial)`."""
        drop = self._input_mask(sequences[:, 0], training)
        if drop is not None:  # the same mask at every step
            shape = (-1, -1, sequences.shape[1], *drop.shape[2:])
            drop = drop.unsqueeze(2).expand(shape).flatten(1, 2)
        gates = self._input_gates(sequences.flatten(0, 1), drop)
        return gates.unflatten(0, tuple(sequences.shape[:2]))

    def recurrent_step(
        self,
        gates: torch.Tensor,
        states: list,
        training: bool = False,
        kernel: torch.Tensor | None = None,
    ) -> tuple:
        """One step from its precomputed input `gates`; `kernel` is
        `_torch_kernel("recurrent_kernel")` when the caller made it once
        for a whole sequence."""
        if kernel is None:
            kernel = self._torch_kernel("recurrent_kernel")
        return self._step(
            gates, states, self._recurrent_mask(states[0], training), kernel
        )

    def _input_mask(self, x, training):
        if training and 0.0 < self.dropout < 1.0:
            return self.get_dropout_mask(x)
        return None

    def _recurrent_mask(self, h, training):
        if training and 0.0 < self.recurrent_dropout < 1.0:
            return self.get_recurrent_dropout_mask(h)
        return None

    def _input_gates(self, inputs, mask):
        x, groups = per_gate(inputs, mask, self._channel_axis)
        x, padding = self._pad(x)
        return self._convolve(
            inputs,
            self._conv,
            self._channels_first(x),
            self._torch_kernel("kernel"),
            self.bias,
            self._torch_strides,
            padding,
            self._torch_dilation,
            groups,
        )

    def _step(self, gates, states, mask, kernel):
        h, c = states[0], states[1]
        x, groups = per_gate(h, mask, self._channel_axis)
        x = self._channels_first(x)
        if self._recurrent_pad is not None:
            x = F.pad(x, self._recurrent_pad)
        z = gates + self._conv(
            x,
            kernel,
            None,
            self._unit,
            self._recurrent_padding,
            self._unit,
            groups,
        )
        i, f, g, o = z.chunk(4, dim=1)
        gate = self.recurrent_activation
        c = gate(f) * self._channels_first(c) + gate(i) * self.activation(g)
        h = self._native(gate(o) * self.activation(c))
        c = self._native(c)
        return h, [h, c]

    def _native(self, y: torch.Tensor) -> torch.Tensor:
        """A channels-first result back in the data format (a view)."""
        if self._lifted:
            return y.permute(0, 2, 3, 1).squeeze(1)
        return y.permute(self._to_last) if self._channels_last else y

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "rank": self.rank,
            "filters": self.filters,
            "recurrent_activation": activations.serialize(
                self.recurrent_activation
            ),
            "unit_forget_bias": self.unit_forget_bias,
        }
        for kind, family in (
            ("initializer", initializers),
            ("regularizer", regularizers),
            ("constraint", constraints),
        ):
            for weight in ("kernel", "recurrent"):
                key = f"{weight}_{kind}"
                config[key] = family.serialize(getattr(self, key))
        return config

    def extra_repr(self) -> str:
        return f"filters={self.filters}, {super().extra_repr()}"
