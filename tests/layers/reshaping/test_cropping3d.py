import pytest
import torch

from lamina.layers.reshaping.cropping3d import Cropping3D
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs, input_shape",
    [
        ({}, (1, 5, 4, 6, 2)),
        ({"cropping": 0}, (1, 5, 4, 6, 2)),
        ({"cropping": (0, 1, 2)}, (1, 5, 4, 6, 2)),
        (
            {"cropping": ((1, 0), (0, 1), 1), "data_format": "channels_first"},
            (1, 2, 5, 4, 6),
        ),
    ],
)
def test_parity(kwargs, input_shape):
    full_parity(
        "Cropping3D",
        Cropping3D,
        kwargs,
        input_shape,
        symbolic=[input_shape[1:], (None, 4, None, 6)],
    )


@pytest.mark.parametrize("cropping", [(1, 2), -1, ((1, 2), 1, (1, 2, 3))])
def test_bad_cropping(cropping):
    with pytest.raises(ValueError, match="cropping"):
        Cropping3D(cropping)


def test_cropping_too_large():
    with pytest.raises(ValueError, match=r"\(Cropping3D\).*cropping"):
        Cropping3D(1)(torch.zeros(1, 4, 2, 4, 1))
