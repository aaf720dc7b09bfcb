"""`lamina.distribute.launch`: ranks, return values, failures."""

import pytest

import lamina
from lamina.distribute import LaunchError
from lamina.errors import LaminaWarning
from tests.distribute import failing_workers
from tests.distribute.helpers import on_two_ranks


def test_each_rank_sees_its_rank_and_a_default_distribution(tmp_path):
    assert on_two_ranks(failing_workers.whoami, str(tmp_path)) == [
        [0, 2, "DataParallel"],
        [1, 2, "DataParallel"],
    ]


def test_an_exception_on_one_rank_names_that_rank(tmp_path):
    with pytest.raises(
        LaunchError,
        match=(r"1 of 2 ranks failed \(rank 1: KeyError: 'no such column'\)"),
    ) as info:
        on_two_ranks(failing_workers.fails_on_rank_1, str(tmp_path))
    assert list(info.value.errors) == [1]
    assert "Traceback of rank 1" in str(info.value)


@pytest.mark.parametrize("nprocs", [0, -1, 1.5, True])
def test_nprocs_must_be_a_positive_integer(nprocs):
    with pytest.raises(
        ValueError,
        match=(
            "argument `nprocs` of launch: expected a positive integer. "
            f"Received: nprocs={nprocs!r}"
        ),
    ):
        lamina.distribute.launch(failing_workers.whoami, nprocs)


def _threads():
    import torch

    return torch.get_num_threads()


def test_fork_after_the_parent_used_openmp_does_not_hang(monkeypatch):
    """A forked rank blocked forever in OpenMP once the parent had run
    torch's thread pool (issue 19); it now runs on one thread."""
    import torch

    monkeypatch.setattr("os.cpu_count", lambda: 4)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    torch.set_num_threads(2)
    torch.ones(1 << 22).add_(1).sum()  # start the parent's pool
    with pytest.warns(LaminaWarning, match="runs on one thread"):
        assert lamina.distribute.launch(
            _threads, 1, start_method="fork", timeout=60
        ) == [1]


def test_a_rank_that_never_starts_is_reported(monkeypatch):
    import importlib
    import time

    from lamina.runtime import environment

    launch_module = importlib.import_module("lamina.distribute.launch")
    monkeypatch.setattr(launch_module, "_GRACE_S", 1.0)
    monkeypatch.setattr("os.cpu_count", lambda: 1)  # no fork probe
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(
        environment, "init_process_group", lambda *a, **k: time.sleep(3600)
    )
    begin = time.monotonic()
    with pytest.raises(LaunchError, match="did not start within 2 s"):
        lamina.distribute.launch(_threads, 1, start_method="fork", timeout=1)
    assert time.monotonic() - begin < 60
