"""`lamina.distribute.launch`: ranks, return values, failures."""

import pytest

import lamina
from lamina.distribute import LaunchError
from tests.distribute import failing_workers
from tests.distribute.helpers import on_two_ranks


def test_each_rank_sees_its_rank_and_a_default_distribution(tmp_path):
    assert on_two_ranks(failing_workers.whoami, str(tmp_path)) == [
        [0, 2, "DataParallel"], [1, 2, "DataParallel"]]


def test_an_exception_on_one_rank_names_that_rank(tmp_path):
    with pytest.raises(LaunchError, match=(
            r"1 of 2 ranks failed \(rank 1: KeyError: 'no such column'\)")
            ) as info:
        on_two_ranks(failing_workers.fails_on_rank_1, str(tmp_path))
    assert list(info.value.errors) == [1]
    assert "Traceback of rank 1" in str(info.value)


@pytest.mark.parametrize("nprocs", [0, -1, 1.5, True])
def test_nprocs_must_be_a_positive_integer(nprocs):
    with pytest.raises(ValueError, match=(
            "argument `nprocs` of launch: expected a positive integer. "
            f"Received: nprocs={nprocs!r}")):
        lamina.distribute.launch(failing_workers.whoami, nprocs)
