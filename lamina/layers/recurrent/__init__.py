"""Recurrent layers. Each file holds one layer; this module lists them in
`__all__`, which `lamina.layers` re-exports."""

from lamina.layers.recurrent.bidirectional import Bidirectional as Bidirectional
from lamina.layers.recurrent.conv_lstm1d import ConvLSTM1D as ConvLSTM1D
from lamina.layers.recurrent.conv_lstm2d import ConvLSTM2D as ConvLSTM2D
from lamina.layers.recurrent.conv_lstm3d import ConvLSTM3D as ConvLSTM3D
from lamina.layers.recurrent.gru import GRU as GRU
from lamina.layers.recurrent.gru_cell import GRUCell as GRUCell
from lamina.layers.recurrent.lstm import LSTM as LSTM
from lamina.layers.recurrent.lstm_cell import LSTMCell as LSTMCell
from lamina.layers.recurrent.rnn import RNN as RNN
from lamina.layers.recurrent.simple_rnn import SimpleRNN as SimpleRNN
from lamina.layers.recurrent.simple_rnn_cell import (
    SimpleRNNCell as SimpleRNNCell,
)
from lamina.layers.recurrent.stacked_rnn_cells import (
    StackedRNNCells as StackedRNNCells,
)
from lamina.layers.recurrent.time_distributed import (
    TimeDistributed as TimeDistributed,
)

__all__ = [
    "Bidirectional",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "GRU",
    "GRUCell",
    "LSTM",
    "LSTMCell",
    "RNN",
    "SimpleRNN",
    "SimpleRNNCell",
    "StackedRNNCells",
    "TimeDistributed",
]
