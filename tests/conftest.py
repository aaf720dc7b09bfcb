"""Strict test setup: Keras (the oracle) on its torch backend, fixed seeds,
deterministic kernels, lamina's own warnings are errors (pyproject)."""

import os

# Must precede any keras import: ~/.keras/keras.json may name another backend.
os.environ["KERAS_BACKEND"] = "torch"

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))


@pytest.fixture(autouse=True)
def _seed():
    np.random.seed(1337)
    torch.manual_seed(1337)
    yield


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def pytest_collection_modifyitems(config, items):
    """Markers by where a test lives and what it needs: `distributed` for
    tests that start processes (tests/distribute), `parity` for tests that
    compare with Keras (their module imports the oracle)."""
    import sys

    keras = sys.modules.get("keras")
    for item in items:
        path = str(getattr(item, "path", ""))
        if "/tests/distribute/" in path:
            item.add_marker(pytest.mark.distributed)
        module = getattr(item, "module", None)
        if (
            keras is not None
            and module is not None
            and any(value is keras for value in vars(module).values())
        ):
            item.add_marker(pytest.mark.parity)
