import pytest
import torch

from lamina.layers.reshaping.zero_padding3d import ZeroPadding3D
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"padding": 2},
        {"padding": (0, 1, 2)},
        {"padding": ((1, 0), (0, 2), 1), "data_format": "channels_first"},
    ],
)
def test_parity(kwargs):
    full_parity(
        "ZeroPadding3D",
        ZeroPadding3D,
        kwargs,
        (1, 2, 3, 2, 2),
        symbolic=[(2, 3, 2, 2), (None, 3, None, 2)],
    )


@pytest.mark.parametrize("padding", [(1, 2), ((1, 2), 1, (1, 2, 3)), -2])
def test_bad_padding(padding):
    with pytest.raises(ValueError, match="padding"):
        ZeroPadding3D(padding)


def test_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=5"):
        ZeroPadding3D()(torch.zeros(2, 3, 4, 5))
