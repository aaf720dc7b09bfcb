import pytest
import torch

from lamina.layers.reshaping.up_sampling3d import UpSampling3D
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"size": (1, 2, 3)},
        {"size": 2, "data_format": "channels_first"},
    ],
)
def test_parity(kwargs):
    full_parity(
        "UpSampling3D",
        UpSampling3D,
        kwargs,
        (1, 2, 3, 2, 3),
        symbolic=[(2, 3, 2, 3), (None, 3, None, 3)],
    )


def test_bad_size():
    with pytest.raises(ValueError, match="size"):
        UpSampling3D(size=(2, 2))


def test_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=5"):
        UpSampling3D()(torch.zeros(2, 3, 4, 5))
