import pytest

from lamina.layers.merging.maximum import Maximum
from tests.layers.merging import helpers


@pytest.mark.parametrize("shapes,masks", helpers.ELEMENTWISE_CASES)
def test_matches_keras(rng, shapes, masks):
    helpers.check_elementwise("Maximum", Maximum, rng, shapes, masks)


def test_masked_entries_do_not_win(rng):
    import numpy as np

    a = np.full((1, 2, 1), 5.0, "float32")
    b = np.zeros((1, 2, 1), "float32")
    out = Maximum()([helpers.tensor(a, [[False, True]]), helpers.tensor(b)])
    # Timestep 0 of `a` is masked out, so `b` (0) is the maximum there.
    assert out[0, :, 0].tolist() == [0.0, 5.0]


def test_config_round_trip():
    helpers.check_round_trip("Maximum", Maximum)
