import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize("k,sorted_", [(1, True), (3, True), (2, False)])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_top_k_matches_keras(k, sorted_, dtype):
    x = rand((3, 5), dtype, low=-100, high=100)
    values, indices = check("top_k", x, k, sorted=sorted_)
    assert indices.dtype == torch.int64


def test_in_top_k_matches_keras():
    predictions = rand((4, 5))
    targets = np.array([0, 1, 2, 4])
    for k in (1, 2, 5):
        check("in_top_k", targets, predictions, k)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1), [1, 2]])
def test_logsumexp_matches_keras(axis, keepdims):
    check("logsumexp", rand((2, 3, 4)), axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_erf_matches_keras(dtype):
    check("erf", rand((3, 4), dtype, low=-2, high=2))


def test_rsqrt_matches_keras():
    check("rsqrt", np.abs(rand((3,))) + 0.1)


@pytest.mark.parametrize("num_segments", [None, 3, 5])
@pytest.mark.parametrize("shape", [(6,), (6, 2)])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
@pytest.mark.parametrize("name", ["segment_sum", "segment_max"])
def test_segment_ops_match_keras(name, dtype, shape, num_segments):
    data = rand(shape, dtype)
    ids = np.array([0, 0, 2, 1, 1, 2])
    check(name, data, ids, num_segments=num_segments)
    check(name, data, np.array([0, 1, 1, 3, -1, 7]), num_segments=4)


def test_segment_ids_must_match_data():
    with pytest.raises(
        ValueError,
        match=r"`ops.segment_sum` expects 1-D "
        r"`segment_ids`.*\(2, 2\)",
    ):
        lops.segment_sum(np.ones(4), np.zeros((2, 2), "int32"))
    with pytest.raises(ValueError, match=r"segment_ids.shape=\(3,\)"):
        lops.segment_max(np.ones(4), np.zeros(3, "int32"))


def test_top_k_larger_than_axis_raises_value_error():
    with pytest.raises(ValueError, match=r"`ops.top_k`.*k=5"):
        lops.top_k(np.ones(3), 5)
