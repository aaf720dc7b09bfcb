"""Two processes on half batches train, evaluate and predict exactly as
one process on the whole batch (same data, same seed)."""

import numpy as np
import pytest

from tests.distribute import workers
from tests.distribute.helpers import on_two_ranks

RTOL, ATOL = 1e-5, 1e-6


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("fit"))
    for shuffle in (False, True):
        workers.fit_run(out, f"single_{shuffle}", shuffle)
        on_two_ranks(workers.fit_run, out, f"dist_{shuffle}", shuffle)
    on_two_ranks(workers.fit_run, out, "dist_desync", True, 32, 96, 3, True)
    # 31 per global batch: ranks take 16 and 15 samples.
    workers.fit_run(out, "single_odd", True, 31, 93)
    on_two_ranks(workers.fit_run, out, "dist_odd", True, 31, 93)
    workers.loader_run(out, "single_loader")
    on_two_ranks(workers.loader_run, out, "dist_loader")
    workers.iterables_run(out, "single_iterables")
    on_two_ranks(workers.iterables_run, out, "dist_iterables")
    workers.custom_step_run(out, "single_custom")
    on_two_ranks(workers.custom_step_run, out, "dist_custom")
    workers.guide_step_run(out, "single_guide")
    on_two_ranks(workers.guide_step_run, out, "dist_guide")
    workers.moving_stats_run(out, "single_stats", 0.5)
    on_two_ranks(workers.moving_stats_run, out, "dist_stats")
    return out


def _close(a, b):
    assert len(a) == len(b)
    for u, v in zip(a, b):
        np.testing.assert_allclose(u, v, rtol=RTOL, atol=ATOL)


def _history_close(a, b):
    assert sorted(a) == sorted(b)
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("rank", [0, 1])
@pytest.mark.parametrize("shuffle", [False, True])
def test_weights_equal_single_process(out, shuffle, rank):
    single = workers.read(out, f"single_{shuffle}")
    dist = workers.read(out, f"dist_{shuffle}", rank)
    _close(single["weights"], dist["weights"])


@pytest.mark.parametrize("rank", [0, 1])
@pytest.mark.parametrize("shuffle", [False, True])
def test_history_is_global(out, shuffle, rank):
    single = workers.read(out, f"single_{shuffle}")
    dist = workers.read(out, f"dist_{shuffle}", rank)
    _history_close(single["history"], dist["history"])


@pytest.mark.parametrize("rank", [0, 1])
def test_evaluate_is_global(out, rank):
    single = workers.read(out, "single_True")["evaluate"]
    dist = workers.read(out, "dist_True", rank)["evaluate"]
    assert sorted(single) == sorted(dist) == ["loss", "mae"]
    for key in single:
        np.testing.assert_allclose(single[key], dist[key], rtol=RTOL)


@pytest.mark.parametrize("rank", [0, 1])
def test_predict_gathers_every_row_in_order(out, rank):
    # 45 rows in batches of 16: parts 8/8, 8/8 and 7/6.
    single = np.asarray(workers.read(out, "single_True")["predict"])
    dist = np.asarray(workers.read(out, "dist_True", rank)["predict"])
    assert dist.shape == single.shape == (45, 3)
    np.testing.assert_allclose(dist, single, rtol=RTOL, atol=ATOL)


def test_shuffle_is_shared_even_when_random_states_differ(out):
    single = workers.read(out, "single_True")
    for rank in (0, 1):
        _close(
            single["weights"], workers.read(out, "dist_desync", rank)["weights"]
        )


def test_unequal_parts_weight_gradients_by_samples(out):
    single = workers.read(out, "single_odd")
    for rank in (0, 1):
        dist = workers.read(out, "dist_odd", rank)
        _close(single["weights"], dist["weights"])
        _history_close(single["history"], dist["history"])


def test_dataloader_is_sharded_like_one_process(out):
    single = workers.read(out, "single_loader")
    for rank in (0, 1):
        dist = workers.read(out, "dist_loader", rank)
        _close(single["weights"], dist["weights"])
        _history_close(single["history"], dist["history"])


def test_generators_pydatasets_and_train_on_batch_are_sharded(out):
    single = workers.read(out, "single_iterables")
    for rank in (0, 1):
        dist = workers.read(out, "dist_iterables", rank)
        _close(single["weights"], dist["weights"])
        _history_close(single["first"], dist["first"])
        _history_close(single["second"], dist["second"])
        _history_close(single["on_batch"], dist["on_batch"])


def test_custom_train_step_logs_are_global(out):
    # "loss" is the model's own tracker, reduced through its state: exact
    # although the ranks hold 16 and 15 samples. "batch_loss" (a plain
    # tensor) is the mean of the ranks' values: the same on both ranks.
    single = workers.read(out, "single_custom")
    dist = [workers.read(out, "dist_custom", rank) for rank in (0, 1)]
    for d in dist:
        _close(single["weights"], d["weights"])
        np.testing.assert_allclose(
            d["history"]["loss"], single["history"]["loss"], rtol=RTOL
        )
    assert dist[0]["history"]["batch_loss"] == dist[1]["history"]["batch_loss"]
    np.testing.assert_allclose(
        dist[0]["history"]["batch_loss"],
        single["history"]["batch_loss"],
        rtol=0.05,
    )


def test_guide_train_step_reports_global_compiled_metrics(out):
    # The compiled metrics come back as one `compile_metrics` dict; their
    # values are reduced through the metrics' states, so they equal the
    # single-process ones although the ranks hold 16 and 15 samples.
    single = workers.read(out, "single_guide")
    for rank in (0, 1):
        dist = workers.read(out, "dist_guide", rank)
        _close(single["weights"], dist["weights"])
        assert (
            sorted(dist["history"])
            == sorted(single["history"])
            == ["loss", "mae"]
        )
        for key in ("loss", "mae"):
            np.testing.assert_allclose(
                dist["history"][key], single["history"][key], rtol=RTOL
            )


def test_ranks_hold_identical_weights(out):
    a = workers.read(out, "dist_True", 0)["weights"]
    b = workers.read(out, "dist_True", 1)["weights"]
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


def test_moving_statistics_are_averaged(out):
    single = workers.read(out, "single_stats")["mean"]
    means = [workers.read(out, "dist_stats", r)["mean"] for r in (0, 1)]
    np.testing.assert_array_equal(means[0], means[1])
    np.testing.assert_allclose(means[0], single, rtol=RTOL, atol=ATOL)
