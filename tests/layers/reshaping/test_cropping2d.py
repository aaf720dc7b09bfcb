import pytest
import torch

import lamina
from lamina.layers.reshaping.cropping2d import Cropping2D
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"cropping": 1},
        {"cropping": (0, 2)},
        {"cropping": ((1, 0), (2, 1))},
        {"cropping": ((0, 2), 1), "data_format": "channels_first"},
    ],
)
def test_parity(kwargs):
    full_parity(
        "Cropping2D",
        Cropping2D,
        kwargs,
        (2, 5, 6, 3),
        symbolic=[(5, 6, 3), (None, 6, 3), (None, None, 3)],
    )


@pytest.mark.parametrize("cropping", [-1, (1, 2, 3), ((1, 2, 3), 1), "ab"])
def test_bad_cropping(cropping):
    with pytest.raises(ValueError, match="cropping"):
        Cropping2D(cropping)


def test_cropping_too_large():
    with pytest.raises(ValueError, match=r"\(Cropping2D\).*cropping"):
        Cropping2D(((2, 2), (0, 0)))(torch.zeros(1, 4, 5, 1))
    with pytest.raises(ValueError, match=r"\(Cropping2D\).*cropping"):
        Cropping2D(((0, 0), (3, 2)), data_format="channels_first")(
            lamina.Input((1, 8, 5))
        )
