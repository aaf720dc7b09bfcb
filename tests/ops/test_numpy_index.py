import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize(
    "indices,axis",
    [
        ([0, 2, -1], 0),
        ([[1, 0], [2, 2]], 1),
        (np.array([3, -2]), -1),
        (1, 0),
        ([[0, 1]], 2),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_take_matches_keras(indices, axis, dtype):
    check("take", rand((3, 4, 5), dtype), indices, axis=axis)


@pytest.mark.parametrize("dtype", ["float32", "int64"])
def test_take_rows_of_a_matrix_matches_keras(dtype):
    check("take", rand((5, 3), dtype), [[4, 0], [-1, 2]], axis=0)


def test_take_flattened_counts_negative_indices_from_the_end():
    x = rand((3, 4))
    out = lops.take(x, [0, -1, 5])
    np.testing.assert_array_equal(out.numpy(), np.take(x, [0, -1, 5]))


def test_take_out_of_range_raises_value_error():
    with pytest.raises(ValueError, match=r"`ops.take`.*indices="):
        lops.take(np.zeros((2, 3)), [5], axis=1)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_take_along_axis_matches_keras(axis):
    x = rand((3, 4))
    idx = (
        np.argsort(x, axis=axis)[:2]
        if axis == 0
        else np.argsort(x, axis=axis)[:, :2]
    )
    check("take_along_axis", x, idx, axis=axis)
    check("take_along_axis", x, -1 - idx, axis=axis)


def test_take_along_axis_flattened_and_rank_errors():
    x = rand((3, 4))
    out = lops.take_along_axis(x, [0, -1], axis=None)
    np.testing.assert_array_equal(out.numpy(), x.reshape(-1)[[0, -1]])
    with pytest.raises(ValueError, match=r"rank of `x` \(2\)"):
        lops.take_along_axis(x, [0, 1], axis=1)


@pytest.mark.parametrize("axis", [-1, 0, None])
@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
@pytest.mark.parametrize("name", ["sort", "argsort"])
def test_sort_and_argsort_match_keras(name, dtype, axis):
    x = rand((3, 5), dtype, low=-3, high=3)
    if name == "argsort" and dtype != "bool":
        x = rand((3, 5), dtype, low=-1000, high=1000)  # no ties
    check(name, x, axis=axis)


@pytest.mark.parametrize("k", [0, 1, -1])
@pytest.mark.parametrize("shape", [(4,), (3, 4)])
def test_diag_matches_keras(shape, k):
    check("diag", rand(shape, "int32"), k=k)


def test_diag_of_rank_3_raises():
    with pytest.raises(ValueError, match=r"`ops.diag` expects a 1-D or 2-D"):
        lops.diag(np.zeros((2, 2, 2)))


@pytest.mark.parametrize("k", [0, 1, -2])
@pytest.mark.parametrize("name", ["tril", "triu"])
def test_triangles_match_keras(name, k):
    check(name, rand((2, 3, 4)), k=k)


@pytest.mark.parametrize(
    "offset,axis1,axis2", [(0, 0, 1), (1, 1, 2), (-1, 0, 2)]
)
@pytest.mark.parametrize("dtype", ["float32", "int8", "bool", "int64"])
def test_trace_matches_keras(dtype, offset, axis1, axis2):
    check(
        "trace", rand((3, 4, 5), dtype), offset=offset, axis1=axis1, axis2=axis2
    )


def test_gather_indices_may_be_a_tensor_on_the_input_device():
    x = torch.arange(6.0).reshape(3, 2)
    out = lops.take(x, torch.tensor([2, 0]), axis=0)
    assert out.tolist() == [[4.0, 5.0], [0.0, 1.0]]
