import pytest

from lamina.layers.merging.add import Add
from tests.layers.merging import helpers


@pytest.mark.parametrize("shapes,masks", helpers.ELEMENTWISE_CASES)
def test_matches_keras(rng, shapes, masks):
    helpers.check_elementwise("Add", Add, rng, shapes, masks)


def test_config_round_trip():
    helpers.check_round_trip("Add", Add, name="my_add")


def test_integer_inputs_stay_integer():
    import torch

    out = Add()([torch.tensor([[1, 2]]), torch.tensor([[3, 4]])])
    assert out.dtype == torch.int64
    assert out.tolist() == [[4, 6]]
