import pytest
import torch

from lamina.layers.reshaping.up_sampling1d import UpSampling1D
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs, input_shape",
    [
        ({}, (2, 3, 4)),
        ({"size": 3}, (2, 2, 1)),
        ({"size": 1}, (1, 4, 2)),
    ],
)
def test_parity(kwargs, input_shape):
    full_parity(
        "UpSampling1D",
        UpSampling1D,
        kwargs,
        input_shape,
        symbolic=[input_shape[1:], (None, 4), (3, None)],
    )


def test_bad_size():
    with pytest.raises(TypeError, match="size=2.0"):
        UpSampling1D(size=2.0)
    with pytest.raises(ValueError, match="size=0"):
        UpSampling1D(size=0)


def test_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=3"):
        UpSampling1D()(torch.zeros(2, 3))
