"""The `>>>` examples of the recurrent layers' docstrings run and hold."""

import doctest
import importlib

import pytest

MODULES = [
    "base_rnn_cell",
    "bidirectional",
    "conv_lstm",
    "conv_lstm_cell",
    "conv_lstm1d",
    "conv_lstm2d",
    "conv_lstm3d",
    "gru",
    "gru_cell",
    "lstm",
    "lstm_cell",
    "rnn",
    "simple_rnn",
    "simple_rnn_cell",
    "stacked_rnn_cells",
    "time_distributed",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(f"lamina.layers.recurrent.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if name not in ("base_rnn_cell", "conv_lstm"):
        assert result.attempted > 0
