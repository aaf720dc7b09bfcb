import numpy as np
import pytest
import torch

from lamina.layers.reshaping.flatten import Flatten
from tests.layers.parity import full_parity
from tests.layers.parity import random_input


@pytest.mark.parametrize(
    "kwargs, input_shape, symbolic",
    [
        ({}, (2, 3, 4), [(3, 4), (None, 4), (None, None)]),
        ({"data_format": "channels_first"}, (2, 3, 4, 5), [(3, None, 5)]),
        ({"data_format": "channels_last"}, (2, 3, 4, 5), [(3, 4, 5)]),
        ({}, (3,), [()]),
        ({}, (2, 5), [(5,), (None,)]),
    ],
)
def test_parity(kwargs, input_shape, symbolic):
    full_parity("Flatten", Flatten, kwargs, input_shape, symbolic)


def test_channels_first_matches_channels_last_order():
    x = random_input((2, 3, 4, 5))  # (batch, channels, rows, cols)
    first = Flatten(data_format="channels_first")(torch.from_numpy(x))
    last = Flatten(data_format="channels_last")(
        torch.from_numpy(np.moveaxis(x, 1, -1).copy())
    )
    np.testing.assert_array_equal(first.numpy(), last.numpy())


def test_batch_only_input_gets_a_unit_axis():
    assert Flatten()(torch.zeros(4)).shape == (4, 1)


def test_bad_data_format():
    with pytest.raises(ValueError, match="data_format"):
        Flatten(data_format="channels_middle")
