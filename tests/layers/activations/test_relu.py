import pytest
import torch

from lamina.layers.activations.relu import ReLU
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"max_value": 1.0},
        {"max_value": 6},
        {"negative_slope": 0.2},
        {"threshold": 0.5},
        {"max_value": 1.5, "negative_slope": 0.1, "threshold": 0.3},
        {"max_value": 0.0},
    ],
)
def test_parity(kwargs):
    full_parity("ReLU", ReLU, kwargs, (3, 4, 5), symbolic=[(4, 5), (None, 5)])


def test_mask_passes_through():
    x = torch.randn(2, 3)
    x._keras_mask = torch.tensor([[True, False, True]] * 2)
    assert torch.equal(ReLU()(x)._keras_mask, x._keras_mask)


@pytest.mark.parametrize(
    "kwargs, arg",
    [
        ({"max_value": -1.0}, "max_value"),
        ({"negative_slope": -0.1}, "negative_slope"),
        ({"negative_slope": None}, "negative_slope"),
        ({"threshold": -0.5}, "threshold"),
        ({"threshold": None}, "threshold"),
    ],
)
def test_bad_args(kwargs, arg):
    with pytest.raises(ValueError, match=f"{arg}="):
        ReLU(**kwargs)
