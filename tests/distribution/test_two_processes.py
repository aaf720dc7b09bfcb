"""Two processes (gloo on 127.0.0.1): Keras's `DataParallel` trains as one
process does on the whole batch; a `LayoutMap` shards a Dense kernel
across the ranks as a DTensor that holds, and computes, what one process
builds."""

import numpy as np
import pytest

from tests.distribute.helpers import on_two_ranks
from tests.distribute.workers import read
from tests.distribution import workers

pytestmark = pytest.mark.distributed


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("distribution"))
    workers.data_parallel_fit(out, "single_fit", False)
    on_two_ranks(workers.data_parallel_fit, out, "dist_fit", True)
    workers.sharded_dense(out, "single_dense", False)
    on_two_ranks(workers.sharded_dense, out, "dist_dense", True)
    return out


@pytest.mark.parametrize("rank", [0, 1])
def test_data_parallel_fit_matches_one_process(out, rank):
    single = read(out, "single_fit")
    dist = read(out, "dist_fit", rank)
    for a, b in zip(single["weights"], dist["weights"]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert sorted(single["history"]) == sorted(dist["history"])
    for key in single["history"]:
        np.testing.assert_allclose(
            single["history"][key], dist["history"][key], rtol=1e-5, atol=1e-6
        )


@pytest.mark.parametrize("rank", [0, 1])
def test_layout_map_shards_the_dense_kernel(out, rank):
    single = read(out, "single_dense")
    dist = read(out, "dist_dense", rank)
    assert not single["sharded"]  # one device: nothing to split
    assert dist["sharded"] and not dist["head_sharded"]
    assert dist["placements"] == ["Replicate()", "Shard(dim=1)"]
    assert dist["local_shape"] == [4, 3]  # half of the (4, 6) kernel
    assert dist["path"] == "seq/dense/kernel"
    np.testing.assert_allclose(dist["kernel"], single["kernel"])
    np.testing.assert_allclose(dist["output"], single["output"], rtol=1e-6)


@pytest.fixture(scope="module", params=["sgd", "adam"])
def model_parallel(request, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("model_parallel"))
    optimizer = request.param
    workers.model_parallel_fit(out, "single", False, optimizer)
    on_two_ranks(workers.model_parallel_fit, out, "dist", True, optimizer)
    return out


@pytest.mark.parametrize("rank", [0, 1])
def test_model_parallel_fit_matches_one_process(model_parallel, rank):
    single = read(model_parallel, "single")
    dist = read(model_parallel, "dist", rank)
    assert dist["sharded"] and not single["sharded"]
    for key in ("weights", "trained", "predict", "evaluate"):
        for a, b in zip(single[key], dist[key]):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for key in single["history"]:
        np.testing.assert_allclose(
            single["history"][key], dist["history"][key], rtol=1e-5
        )
    # The weights file round-trips the shards (set_weights zeroed them).
    for a, b in zip(dist["weights"], dist["trained"]):
        np.testing.assert_array_equal(a, b)
    assert "batch axis 'batch'" in dist["refused"]
    assert "2 ways" in dist["refused"]
