import pytest
import torch

import lamina
from lamina.layers.reshaping.cropping1d import Cropping1D
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"cropping": 2},
        {"cropping": (0, 3)},
        {"cropping": (2, 0)},
    ],
)
def test_parity(kwargs):
    full_parity(
        "Cropping1D",
        Cropping1D,
        kwargs,
        (2, 6, 3),
        symbolic=[(6, 3), (None, 3), (6, None)],
    )


def test_has_no_data_format():
    assert "data_format" not in Cropping1D().get_config()
    with pytest.raises(TypeError, match="data_format"):
        Cropping1D(data_format="channels_first")


@pytest.mark.parametrize("cropping", [-1, (1, 2, 3), (1, -2)])
def test_bad_cropping(cropping):
    with pytest.raises(ValueError, match="cropping"):
        Cropping1D(cropping)


def test_cropping_too_large():
    match = r"Layer 'crop' \(Cropping1D\).*cropping=\(2, 2\)"
    with pytest.raises(ValueError, match=match):
        Cropping1D(2, name="crop")(torch.zeros(2, 4, 3))
    with pytest.raises(ValueError, match=match):
        Cropping1D(2, name="crop")(lamina.Input((3, 3)))
