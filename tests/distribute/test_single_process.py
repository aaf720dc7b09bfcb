"""As one process nothing is distributed, and the public API checks its
arguments."""

import numpy as np
import pytest

import lamina
from lamina.distribute import data_parallel
from lamina.distribute.data_parallel import loop_for
from tests.distribute import workers


@pytest.fixture(autouse=True)
def _restore_distribution():
    saved = dict(data_parallel._STATE)
    yield
    data_parallel._STATE.clear()
    data_parallel._STATE.update(saved)


def test_no_distribution_without_torchrun(monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    data_parallel._STATE.update(explicit=False, value=None, auto=None)
    assert lamina.distribute.distribution() is None
    assert loop_for(workers.build()) is None
    assert lamina.distribute.rank() == 0
    assert lamina.distribute.world_size() == 1
    assert lamina.distribute.is_chief()


def test_torchrun_environment_selects_data_parallel(monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "2")
    data_parallel._STATE.update(explicit=False, value=None, auto=None)
    strategy = lamina.distribute.distribution()
    assert isinstance(strategy, lamina.distribute.DataParallel)
    assert lamina.distribute.distribution() is strategy


def test_set_distribution_none_turns_it_off(monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "2")
    lamina.distribute.set_distribution(None)
    assert lamina.distribute.distribution() is None


def test_set_distribution_takes_a_data_parallel():
    strategy = lamina.distribute.DataParallel(timeout=5, fsdp=True)
    lamina.distribute.set_distribution(strategy)
    assert lamina.distribute.distribution() is strategy
    assert repr(strategy) == "<DataParallel timeout=5s backend=auto fsdp=True>"
    with pytest.raises(
        TypeError,
        match=(
            "set_distribution expects a lamina.distribute.DataParallel, a "
            r"lamina.distribution.Distribution \(DataParallel, ModelParallel\) "
            "or None. Received: str"
        ),
    ):
        lamina.distribute.set_distribution("ddp")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"backend": "mpi"},
            "argument `backend` of DataParallel: expected "
            "'nccl', 'gloo' or None. Received: backend='mpi'",
        ),
        (
            {"bucket_cap_mb": 0},
            "argument `bucket_cap_mb` of DataParallel: "
            "expected a positive number. Received: 0",
        ),
        (
            {"timeout": -1},
            "the timeout must be a positive number of seconds. "
            "Received: timeout=-1",
        ),
    ],
)
def test_data_parallel_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lamina.distribute.DataParallel(**kwargs)


def test_run_on_chief_runs_the_work_as_one_process():
    assert lamina.distribute.run_on_chief(lambda: 42, "a test") == 42


def test_single_process_fit_is_unchanged(monkeypatch):
    # The same numbers as before the distributed hooks existed: Keras's
    # update rule on a fixed batch, computed by hand for SGD.
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    data_parallel._STATE.update(explicit=False, value=None, auto=None)
    model = lamina.Sequential(
        [lamina.Input((2,)), lamina.layers.Dense(1, use_bias=False)]
    )
    model.set_weights([np.array([[1.0], [2.0]], dtype="float32")])
    model.compile(lamina.optimizers.SGD(0.1), "mse")
    x = np.array([[1.0, 0.0], [0.0, 1.0]], dtype="float32")
    y = np.array([[0.0], [0.0]], dtype="float32")
    history = model.fit(x, y, batch_size=2, epochs=1, verbose=0, shuffle=False)
    # loss = (1 + 4) / 2; grad = [1, 2]; w -= 0.1 * grad.
    assert history.history["loss"] == [2.5]
    np.testing.assert_allclose(model.get_weights()[0], [[0.9], [1.8]])
