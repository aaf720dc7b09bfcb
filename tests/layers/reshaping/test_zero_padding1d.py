import pytest
import torch

from lamina.layers.reshaping.zero_padding1d import ZeroPadding1D
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"padding": 2},
        {"padding": (0, 3)},
        {"padding": (2, 1), "data_format": "channels_first"},
    ],
)
def test_parity(kwargs):
    full_parity(
        "ZeroPadding1D",
        ZeroPadding1D,
        kwargs,
        (2, 3, 4),
        symbolic=[(3, 4), (None, 4), (3, None)],
    )


@pytest.mark.parametrize("padding", [-1, (1, 2, 3), (1, -2), "ab"])
def test_bad_padding(padding):
    with pytest.raises(ValueError, match="padding"):
        ZeroPadding1D(padding)


def test_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=3"):
        ZeroPadding1D()(torch.zeros(2, 3))
