import pytest

from lamina.layers.merging.multiply import Multiply
from tests.layers.merging import helpers


@pytest.mark.parametrize("shapes,masks", helpers.ELEMENTWISE_CASES)
def test_matches_keras(rng, shapes, masks):
    helpers.check_elementwise("Multiply", Multiply, rng, shapes, masks)


def test_fully_masked_positions_are_zero(rng):
    import numpy as np

    a = np.full((1, 2, 1), 3.0, "float32")
    masks = [[[False, True]], [[False, True]]]
    out = Multiply()([helpers.tensor(a, masks[0]), helpers.tensor(a, masks[1])])
    assert out[0, :, 0].tolist() == [0.0, 9.0]
    assert out._keras_mask.tolist() == [[False, True]]


def test_config_round_trip():
    helpers.check_round_trip("Multiply", Multiply)
