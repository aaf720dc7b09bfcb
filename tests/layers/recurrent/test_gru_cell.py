import pytest

from lamina.layers.recurrent.gru_cell import GRUCell
from tests.layers.recurrent.cell_checks import check_cell_step


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(reset_after=False),
        dict(use_bias=False),
        dict(reset_after=False, activation="relu", bias_initializer="ones"),
    ],
)
def test_step_matches_keras(kwargs):
    k, m = check_cell_step("GRUCell", [4], **kwargs)
    assert m.state_size == k.state_size == 4


def test_fused_kind():
    assert GRUCell(2)._fused_kind() == "gru"
    assert GRUCell(2, reset_after=False)._fused_kind() is None
    assert GRUCell(2, recurrent_activation="relu")._fused_kind() is None


def test_a_single_state_tensor_comes_back_as_a_tensor():
    import torch

    cell = GRUCell(3)
    out, state = cell(torch.ones(2, 4), torch.zeros(2, 3))
    assert isinstance(state, torch.Tensor) and torch.equal(out, state)
