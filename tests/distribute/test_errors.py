"""Bad input and broken ranks fail fast, on every rank, with errors that
say what is wrong and how to fix it."""

import time

import pytest

import lamina
from lamina.distribute import DistributedError
from lamina.distribute import LaunchError
from lamina.distribute.data_parallel import _STATE
from lamina.distribute.launch import free_port
from tests.distribute import failing_workers
from tests.distribute import workers
from tests.distribute.helpers import on_two_ranks


def _errors(fn, *args, timeout=60):
    with pytest.raises(LaunchError) as info:
        on_two_ranks(fn, *args, timeout=timeout)
    return info.value.errors


def test_mismatched_models_fail_on_every_rank(tmp_path):
    errors = _errors(failing_workers.mismatched_model, str(tmp_path))
    assert sorted(errors) == [0, 1]
    for text in errors.values():
        assert "ValueError: lamina.distribute: model 'sequential" in text
        assert (
            "differs across ranks (rank 0: 4 weight tensors, 53 "
            "scalars; rank 1: 4 weight tensors, 63 scalars (different "
            "names/shapes))" in text
        )
        assert "Every rank must build the same model" in text


@pytest.mark.parametrize(
    "case, message",
    [
        (
            "batch_size",
            "fit has batch_size=1, smaller than the number of processes (2)",
        ),
        (
            "tiny_dataset",
            "the data passed to fit has 1 samples, fewer than the "
            "number of processes (2)",
        ),
        (
            "different_data",
            "the ranks passed different data to fit (rank 0: "
            "samples=96, batch_size=32; rank 1: samples=80, "
            "batch_size=32)",
        ),
    ],
)
def test_bad_data_fails_on_every_rank(tmp_path, case, message):
    errors = _errors(failing_workers.bad_fit, str(tmp_path), case)
    assert sorted(errors) == [0, 1]
    for text in errors.values():
        assert "ValueError: lamina.distribute: " + message in text


def test_a_batch_too_small_to_split_fails_on_every_rank(tmp_path):
    errors = _errors(failing_workers.small_generator_batch, str(tmp_path))
    assert sorted(errors) == [0, 1]
    for text in errors.values():
        assert (
            "a batch passed to fit has 1 samples, fewer than the "
            "number of processes (2)" in text
        )
        assert "`drop_last=True`" in text


def test_a_dying_rank_makes_the_others_fail_fast(tmp_path):
    timeout = 30
    start = time.monotonic()
    errors = _errors(failing_workers.dying_rank, str(tmp_path), timeout=timeout)
    elapsed = time.monotonic() - start
    assert elapsed < timeout
    assert errors[1] == "exited with code 3 without reporting a result"
    assert (
        "DistributedError: lamina.distribute: rank 0 of 2 failed "
        "during" in errors[0]
    )
    assert "Another rank most likely died" in errors[0]


def test_a_hanging_rank_makes_the_others_time_out(tmp_path):
    timeout, stall = 2, 6
    with pytest.raises(LaunchError) as info:
        on_two_ranks(
            failing_workers.hanging_rank, str(tmp_path), stall, timeout=timeout
        )
    text = info.value.errors[0]
    assert (
        "DistributedError: lamina.distribute: rank 0 of 2 failed during" in text
    )
    assert "within 2 s (the timeout; see LAMINA_DIST_TIMEOUT)" in text
    # Rank 0 gave up after about `timeout` seconds, before rank 1 woke.
    assert workers.read(str(tmp_path), "hang", 0)["seconds"] < stall - 1


@pytest.fixture
def rank_one_env(monkeypatch):
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    monkeypatch.setenv("MASTER_PORT", str(free_port()))  # Nobody listens.
    saved = dict(_STATE)
    yield
    _STATE.update(saved)


def test_unreachable_master_times_out(rank_one_env):
    start = time.monotonic()
    with pytest.raises(
        DistributedError,
        match=(
            r"rank 1 of 2 could not join the process group at "
            r"MASTER_ADDR:MASTER_PORT=127\.0\.0\.1:\d+ within 2 s"
        ),
    ):
        lamina.distribute.DataParallel(timeout=2).initialize()
    assert time.monotonic() - start < 20


def test_missing_environment_is_named(monkeypatch):
    monkeypatch.delenv("MASTER_ADDR", raising=False)
    monkeypatch.setenv("WORLD_SIZE", "2")
    with pytest.raises(
        RuntimeError,
        match=(
            r"the environment variables \[.*'MASTER_ADDR'.*\] are not set. "
            r"Launch the script with `torchrun"
        ),
    ):
        lamina.distribute.DataParallel().initialize()


def test_rank_outside_world_is_named(rank_one_env, monkeypatch):
    monkeypatch.setenv("RANK", "2")
    with pytest.raises(
        ValueError,
        match="RANK must be smaller than "
        "WORLD_SIZE. Received: RANK=2, WORLD_SIZE=2",
    ):
        lamina.distribute.DataParallel().initialize()


def test_bad_timeout_environment_variable(monkeypatch):
    monkeypatch.setenv("LAMINA_DIST_TIMEOUT", "soon")
    with pytest.raises(
        ValueError,
        match=(
            "LAMINA_DIST_TIMEOUT must be a number of seconds. Received: "
            "LAMINA_DIST_TIMEOUT='soon'"
        ),
    ):
        lamina.distribute.DataParallel()
