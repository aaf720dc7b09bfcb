import pytest
import torch

import lamina
from lamina.layers.merging.subtract import Subtract
from tests.layers.merging import helpers

CASES = [c for c in helpers.ELEMENTWISE_CASES if len(c[0]) == 2]


@pytest.mark.parametrize("shapes,masks", CASES)
def test_matches_keras(rng, shapes, masks):
    helpers.check_elementwise("Subtract", Subtract, rng, shapes, masks)


def test_config_round_trip():
    helpers.check_round_trip("Subtract", Subtract)


def test_three_inputs_are_refused():
    x = [lamina.Input((3,)) for _ in range(3)]
    with pytest.raises(
        ValueError,
        match=r"'subtract.*' \(Subtract\) should "
        r"be called on exactly 2 inputs",
    ):
        Subtract()(x)


def test_one_input_is_refused_eagerly():
    with pytest.raises(ValueError, match=r"exactly 2 inputs. Received: 1"):
        Subtract()([torch.ones(2, 3)])
