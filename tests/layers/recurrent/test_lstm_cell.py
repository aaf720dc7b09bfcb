import pytest
import torch

from lamina.layers.recurrent.lstm_cell import LSTMCell
from tests.layers.recurrent.cell_checks import check_cell_step


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(use_bias=False, unit_forget_bias=False),
        dict(activation="relu", recurrent_activation="hard_sigmoid"),
    ],
)
def test_step_matches_keras(kwargs):
    k, m = check_cell_step("LSTMCell", [4, 4], **kwargs)
    assert m.state_size == k.state_size == [4, 4]
    assert m.output_size == k.output_size == 4


def test_fused_kind():
    assert LSTMCell(2)._fused_kind() == "lstm"
    assert (
        LSTMCell(
            2, activation=torch.tanh, recurrent_activation=torch.sigmoid
        )._fused_kind()
        == "lstm"
    )
    assert LSTMCell(2, recurrent_dropout=0.1)._fused_kind() is None
    assert LSTMCell(2, activation="relu")._fused_kind() is None


def test_recurrent_dropout_draws_one_mask_per_gate():
    cell = LSTMCell(3, dropout=0.5, recurrent_dropout=0.5, seed=0)
    x, states = torch.ones(2, 4), [torch.ones(2, 3), torch.zeros(2, 3)]
    out, _ = cell(x, states, training=True)
    assert cell.get_dropout_mask(x).shape == (4, 2, 4)
    assert cell.get_recurrent_dropout_mask(states[0]).shape == (4, 2, 3)
    cell.reset_dropout_mask()
    cell.reset_recurrent_dropout_mask()
    assert out.shape == (2, 3)
    assert cell._dropout_mask is None and cell._recurrent_dropout_mask is None
