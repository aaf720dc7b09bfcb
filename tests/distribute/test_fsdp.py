"""`DataParallel(fsdp=True)`: sharded weights train like one process, and
`ModelCheckpoint` writes the full weights from rank 0 (CPU, gloo)."""

import numpy as np
import pytest

from tests.distribute import workers
from tests.distribute.helpers import on_two_ranks


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("fsdp"))
    workers.fit_run(out, "single", False)
    on_two_ranks(workers.fsdp_run, out, "fsdp")
    return out


@pytest.mark.parametrize("rank", [0, 1])
def test_sharded_training_equals_one_process(out, rank):
    single = workers.read(out, "single")
    dist = workers.read(out, "fsdp", rank)
    assert dist["sharded"] == "DTensor"
    for key in ("loss", "mae"):
        np.testing.assert_allclose(
            dist["history"][key], single["history"][key], rtol=1e-5
        )
    np.testing.assert_allclose(
        dist["predict"], single["predict"], rtol=1e-5, atol=1e-6
    )


def test_checkpoint_holds_the_full_weights(out):
    single = workers.read(out, "single")["weights"]
    saved = workers.read(out, "fsdp", 1)["weights"]
    assert [np.shape(w) for w in saved] == [np.shape(w) for w in single]
    for a, b in zip(saved, single):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
