import pytest

from lamina.layers.merging.minimum import Minimum
from tests.layers.merging import helpers


@pytest.mark.parametrize("shapes,masks", helpers.ELEMENTWISE_CASES)
def test_matches_keras(rng, shapes, masks):
    helpers.check_elementwise("Minimum", Minimum, rng, shapes, masks)


def test_config_round_trip():
    helpers.check_round_trip("Minimum", Minimum)
