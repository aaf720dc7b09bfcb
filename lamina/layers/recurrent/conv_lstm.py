"""`ConvLSTM`: the base of `ConvLSTM1D`, `ConvLSTM2D` and `ConvLSTM3D`.

An `RNN` over a `ConvLSTMCell` built from the layer's own arguments, which
it reads back as attributes (`layer.filters`) and writes into one flat
config, as Keras does. The cell's arguments are listed once, by the cell.
"""

from __future__ import annotations

from typing import Any

import inspect

from lamina import regularizers
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.layers.recurrent import rnn_loop
from lamina.layers.recurrent.base_rnn_layer import cell_attribute
from lamina.layers.recurrent.conv_lstm_cell import ConvLSTMCell
from lamina.layers.recurrent.conv_lstm_utils import check_geometry
from lamina.layers.recurrent.rnn import RNN

# The arguments the layer hands to its cell, read off the cell's signature
# (so they are listed once); the layer reads them back as attributes.
CELL_ARGUMENTS = tuple(
    name
    for name in inspect.signature(ConvLSTMCell.__init__).parameters
    if name not in ("self", "rank", "kwargs")
)
# Cell config keys that are not layer arguments.
_NOT_LAYER_KEYS = ("name", "trainable", "dtype", "rank", "activity_regularizer")


class ConvLSTM(RNN):
    """N-D convolutional LSTM (used through `ConvLSTM1D/2D/3D`).

    Like `LSTM`, but the input and recurrent transformations are
    convolutions (Shi et al., 2015, https://arxiv.org/abs/1506.04214).
    The input convolution of every timestep runs as one batched
    convolution before the step loop, which then only convolves the
    recurrent state.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters, kernel_size, strides, padding, data_format,
        dilation_rate: the input convolution's, as in `Conv2D` (`padding`
            is `"valid"` or `"same"`).
        activation, recurrent_activation, use_bias, kernel_initializer,
        recurrent_initializer, bias_initializer, unit_forget_bias,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: keyword-only, as in `ConvLSTMCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll,
        zero_output_for_mask: keyword-only, as in `RNN`.
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: Any = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
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
        cell_kwargs = {
            k: kwargs.pop(k) for k in list(kwargs) if k in CELL_ARGUMENTS
        }
        cell = ConvLSTMCell(
            rank,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            **cell_kwargs,
        )
        super().__init__(cell, **kwargs)
        self.rank = rank
        self.input_spec = InputSpec(ndim=rank + 3)

    def build(
        self, sequences_shape: Any, initial_state_shape: Any = None
    ) -> None:
        super().build(sequences_shape, initial_state_shape)
        # As in Keras, the spatial size (and channels) are fixed once built:
        # the states' shape depends on them.
        self.input_spec = InputSpec(
            shape=(None, None) + tuple(sequences_shape[2:])
        )

    def _sample_state_shape(self, size) -> tuple:
        return self.cell.state_shape

    def _inner_loop(self, sequences, states, mask, training, constants):
        cell = self.cell
        if sequences.device.type == "meta" or cell.dtype_policy.is_mixed:
            # Shape traces and mixed precision step through `cell(...)`.
            return super()._inner_loop(
                sequences, states, mask, training, constants
            )
        training = bool(training)
        # torch's view of the recurrent kernel, made once per sequence;
        # it is stored in the memory order torch's convolution reads
        # (`KernelLayout.torch_memory`), so no step copies it.
        kernel = cell._torch_kernel("recurrent_kernel")

        def step(gates, flat_states):
            return cell.recurrent_step(gates, flat_states, training, kernel)

        return rnn_loop.run_loop(
            step,
            cell.sequence_gates(sequences, training),
            states,
            mask,
            self.go_backwards,
            self.zero_output_for_mask,
            self.return_sequences,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["cell"]
        cell_config = {
            k: v
            for k, v in self.cell.get_config().items()
            if k not in _NOT_LAYER_KEYS
        }
        return {
            **config,
            **cell_config,
            "activity_regularizer": regularizers.serialize(
                self.activity_regularizer
            ),
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> ConvLSTM:
        return vars(Layer)["from_config"].__func__(cls, config)

    def extra_repr(self) -> str:
        return (
            f"filters={self.filters}, kernel_size={self.kernel_size}, "
            f"padding={self.padding}, " + super().extra_repr()
        )


for _name in CELL_ARGUMENTS:
    setattr(ConvLSTM, _name, cell_attribute(_name))
