import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize(
    "kernel_size,dilation,padding,stride",
    [(2, 1, 0, 1), (3, 1, 1, 2), ((2, 3), (1, 2), (0, 1), (2, 1))],
)
def test_unfold_and_fold_match_keras(kernel_size, dilation, padding, stride):
    # Keras's torch unfold takes torch tensors only.
    x = torch.tensor(rand((2, 3, 7, 6)))
    cols = check("unfold", x, kernel_size, dilation, padding, stride)
    check(
        "fold", cols, (7, 6), kernel_size, dilation, padding, stride, atol=1e-4
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("block_size", [2, 3])
def test_depth_space_round_trip_matches_keras(block_size, data_format):
    b = block_size
    shape = (
        (2, 2, 3, 2 * b * b)
        if data_format == "channels_last"
        else (2, 2 * b * b, 2, 3)
    )
    x = rand(shape)
    y = check("depth_to_space", x, b, data_format)
    z = check("space_to_depth", y.numpy(), b, data_format)
    np.testing.assert_array_equal(z.numpy(), x)


def test_symbolic_shapes():
    x = lamina.Input((4, 6, 8))
    assert tuple(lops.depth_to_space(x, 2).shape) == (None, 8, 12, 2)
    assert tuple(lops.space_to_depth(x, 2).shape) == (None, 2, 3, 32)


def test_bad_arguments_raise():
    with pytest.raises(
        ValueError,
        match=r"`x` of ops.unfold: expected a 4D"
        r".*x.shape=\(3, 4, 4\)",
    ):
        lops.unfold(np.ones((3, 4, 4)), 2)
    with pytest.raises(ValueError, match=r"`x` of ops.fold: expected a 3D"):
        lops.fold(np.ones((3, 4)), 4, 2)
    with pytest.raises(
        ValueError,
        match=r"ops.depth_to_space: the number of"
        r" channels \(6\) must be divisible by block_size\*\*2",
    ):
        lops.depth_to_space(np.ones((1, 2, 2, 6)), 2)
    with pytest.raises(
        ValueError,
        match=r"ops.space_to_depth.*divisible by"
        r" block_size",
    ):
        lops.space_to_depth(np.ones((1, 3, 4, 1)), 2)
    with pytest.raises(
        ValueError,
        match=r"`block_size` of "
        r"ops.depth_to_space.*block_size=0",
    ):
        lops.depth_to_space(np.ones((1, 2, 2, 4)), 0)
