import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize(
    "start,shape", [((0, 0), (2, 2)), ((1, 2), (2, 3)), ([0, 4], [3, 1])]
)
def test_slice_matches_keras(start, shape):
    check("slice", rand((3, 5), "int32"), start, shape)


def test_slice_with_tensor_arguments():
    x = torch.arange(12).reshape(3, 4)
    out = lops.slice(x, torch.tensor([1, 1]), torch.tensor([2, 2]))
    assert out.tolist() == [[5, 6], [9, 10]]


def test_slice_with_wrong_rank_raises():
    with pytest.raises(
        ValueError,
        match=r"`ops.slice` needs one entry of "
        r"`start_indices` per axis.*rank 2",
    ):
        lops.slice(np.zeros((3, 4)), (0,), (1, 1))


@pytest.mark.parametrize(
    "start,update_shape", [((0, 0), (2, 2)), ((1, 2), (2, 3))]
)
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_slice_update_matches_keras(start, update_shape, dtype):
    check("slice_update", rand((3, 5), dtype), start, rand(update_shape, dtype))


def test_slice_update_does_not_modify_its_input():
    x = torch.zeros(4)
    out = lops.slice_update(x, (1,), [1.0, 2.0])
    assert x.tolist() == [0.0] * 4 and out.tolist() == [0.0, 1.0, 2.0, 0.0]
    with pytest.raises(ValueError, match=r"`updates` to have the rank"):
        lops.slice_update(x, (1,), [[1.0]])


@pytest.mark.parametrize(
    "indices,values,shape",
    [
        ([[0, 1], [2, 0], [0, 1]], [1.0, 2.0, 3.0], (3, 2)),
        ([[1], [0]], [[1, 2], [3, 4]], (2, 2)),
        ([[[0], [1]]], [[5.0, 6.0]], (3,)),
    ],
)
def test_scatter_matches_keras(indices, values, shape):
    check("scatter", np.array(indices), np.array(values), shape)


@pytest.mark.parametrize("reduction", [None, "add", "max", "min", "mul"])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_scatter_update_matches_keras(reduction, dtype):
    x = rand((4, 3), dtype)
    # Element updates (with a duplicate index, except when overwriting,
    # whose winner is unspecified) and row updates.
    indices = [[0, 1], [3, 2]] + ([[0, 1]] if reduction else [])
    check(
        "scatter_update",
        x,
        np.array(indices),
        rand((len(indices),), dtype),
        reduction=reduction,
    )
    check(
        "scatter_update",
        x,
        np.array([[1], [3]]),
        rand((2, 3), dtype),
        reduction=reduction,
    )


def test_scatter_update_bad_reduction_raises():
    with pytest.raises(ValueError, match=r"reduction='avg'"):
        lops.scatter_update(np.zeros(3), [[0]], [1.0], reduction="avg")
