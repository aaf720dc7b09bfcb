import pytest
import torch

import lamina
from lamina.layers.recurrent import cell_utils


class KwargsCell:
    state_size = [2, 3]

    def call(self, inputs, states, **kwargs):
        return inputs, states


def test_state_template_nests_like_keras():
    cells = [lamina.layers.LSTMCell(2), lamina.layers.GRUCell(3), KwargsCell()]
    assert cell_utils.state_template(cells[0]) == [2, 2]
    assert cell_utils.state_template(cells[1]) == [3]
    stacked = lamina.layers.StackedRNNCells(cells)
    assert cell_utils.state_template(stacked) == [[2, 2], [3], [2, 3]]


def test_accepts_reads_the_call_signature():
    assert cell_utils.accepts(lamina.layers.GRUCell(2), "training")
    assert not cell_utils.accepts(lamina.layers.GRUCell(2), "constants")
    assert cell_utils.accepts(KwargsCell(), "constants")


def test_call_cell_passes_training_only_when_taken():
    out, states = cell_utils.call_cell(
        KwargsCell(), torch.ones(1, 2), [torch.zeros(1, 2)], training=True
    )
    assert out.shape == (1, 2)


@pytest.mark.parametrize("size", [0, "4", [2, None], []])
def test_check_cell_rejects_bad_state_sizes(size):
    cell = KwargsCell()
    cell.state_size = size
    with pytest.raises(
        ValueError,
        match=r"owner: an RNN cell must have a "
        r"`state_size`.*Received: cell=.*"
        r"state_size=",
    ):
        cell_utils.check_cell(cell, "owner")
