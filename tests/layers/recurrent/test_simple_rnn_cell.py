import pytest

from lamina.layers.recurrent.simple_rnn_cell import SimpleRNNCell
from tests.layers.recurrent.cell_checks import check_cell_step


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(activation=None, use_bias=False),
        dict(dropout=0.3, recurrent_dropout=0.2, seed=5),
    ],
)
def test_step_matches_keras(kwargs):
    check_cell_step("SimpleRNNCell", [4], **kwargs)


def test_fused_kind():
    assert SimpleRNNCell(2)._fused_kind() == "rnn_tanh"
    assert SimpleRNNCell(2, activation="relu")._fused_kind() == "rnn_relu"
    assert SimpleRNNCell(2, activation="elu")._fused_kind() is None
    assert SimpleRNNCell(2, recurrent_dropout=0.5)._fused_kind() is None
