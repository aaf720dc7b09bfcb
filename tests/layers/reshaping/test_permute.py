import pytest
import torch

from lamina.layers.reshaping.permute import Permute
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "dims, input_shape, symbolic",
    [
        ((2, 1), (2, 3, 4), [(3, 4), (None, 4), (3, None)]),
        ((3, 1, 2), (2, 3, 4, 5), [(None, 4, None)]),
        ((1,), (3, 2), [(None,)]),
    ],
)
def test_parity(dims, input_shape, symbolic):
    full_parity("Permute", Permute, {"dims": dims}, input_shape, symbolic)


@pytest.mark.parametrize("dims", [(1, 3), (0, 1), (2, 2), 5])
def test_invalid_permutation(dims):
    with pytest.raises(ValueError, match="dims"):
        Permute(dims)


def test_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=3"):
        Permute((2, 1))(torch.zeros(2, 3))
