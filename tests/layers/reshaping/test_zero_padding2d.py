import pytest
import torch

from lamina.layers.reshaping.zero_padding2d import ZeroPadding2D
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"padding": 2},
        {"padding": (0, 3)},
        {"padding": ((1, 0), (2, 3))},
        {"padding": ((1, 0), 2), "data_format": "channels_first"},
    ],
)
def test_parity(kwargs):
    full_parity(
        "ZeroPadding2D",
        ZeroPadding2D,
        kwargs,
        (2, 3, 4, 2),
        symbolic=[(3, 4, 2), (None, 4, 2), (None, None, 2)],
    )


@pytest.mark.parametrize("padding", [(1, 2, 3), ((1, 2, 3), 1), -1, "ab"])
def test_bad_padding(padding):
    with pytest.raises(ValueError, match="padding"):
        ZeroPadding2D(padding)


def test_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=4"):
        ZeroPadding2D()(torch.zeros(2, 3, 4))
