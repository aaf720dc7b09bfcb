"""Callbacks on two ranks: rank 0 alone prints and writes files; every
rank sees the global logs, so decisions (early stopping, learning-rate
reduction, the best checkpoint) are the same everywhere and the same as
in one process."""

import csv
import os
import re

import pytest

from tests.distribute import workers
from tests.distribute.helpers import on_two_ranks


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    single = str(tmp_path_factory.mktemp("single"))
    workers.callbacks_run(single, "run")
    dist = str(tmp_path_factory.mktemp("dist"))
    on_two_ranks(workers.callbacks_run, dist, "run")
    on_two_ranks(workers.one_rank_stops, dist, "stop")
    return {
        "single": workers.read(single, "run"),
        "dir": dist,
        0: workers.read(dist, "run", 0),
        1: workers.read(dist, "run", 1),
    }


def test_only_rank_0_writes_checkpoints(out):
    assert out[0]["saves"] == out[0]["epochs_run"] > 0
    assert out[1]["saves"] == 0


def test_only_rank_0_writes_the_csv_log(out):
    assert out[0]["csv_opened"] and not out[1]["csv_opened"]
    with open(os.path.join(out["dir"], "log.csv")) as f:
        rows = list(csv.DictReader(f))
    assert [int(r["epoch"]) for r in rows] == list(range(out[0]["epochs_run"]))


def test_files_are_whole_when_fit_returns_on_any_rank(out):
    # Each rank re-read the last checkpoint right after `fit` returned.
    assert out[0]["checkpoint_is_final"] and out[1]["checkpoint_is_final"]
    # A `chief_only` callback ran on rank 0 alone, and rank 1 left `fit`
    # only after it had written its file.
    assert out[0]["summary_calls"] == 1 and out[1]["summary_calls"] == 0
    assert out[0]["summary_written"] and out[1]["summary_written"]


def test_only_rank_0_prints_progress(out):
    def epochs_and_losses(text):
        # The timings differ from run to run; the rest must not.
        return [
            [
                part
                for part in line.split(" - ")
                if not re.fullmatch(r"\d+(us|ms|s)(/step)?", part)
            ]
            for line in text.splitlines()
        ]

    assert out[0]["stdout"].count("Epoch 1/12") == 1
    assert epochs_and_losses(out[0]["stdout"]) == epochs_and_losses(
        out["single"]["stdout"]
    )
    assert out[1]["stdout"] == ""


def test_early_stopping_stops_at_the_same_epoch(out):
    single = out["single"]
    assert 0 < single["stopped_epoch"] < 11  # It did stop early.
    for rank in (0, 1):
        assert out[rank]["stopped_epoch"] == single["stopped_epoch"]
        assert out[rank]["epochs_run"] == single["epochs_run"]


def test_reduce_lr_on_plateau_decides_the_same(out):
    single = out["single"]
    assert single["learning_rate"] < 0.05  # It did reduce.
    for rank in (0, 1):
        assert out[rank]["learning_rate"] == single["learning_rate"]


def test_a_stop_on_one_rank_stops_every_rank(out):
    for rank in (0, 1):
        assert workers.read(out["dir"], "stop", rank)["epochs_run"] == 2


def test_user_save_writes_on_rank_0_only(tmp_path):
    on_two_ranks(workers.user_save_run, str(tmp_path), "save")
    rank0 = workers.read(str(tmp_path), "save", 0)
    rank1 = workers.read(str(tmp_path), "save", 1)
    assert rank0["calls"] == ["save_model", "save_weights"]
    assert rank1["calls"] == []
    for rank in (rank0, rank1):
        assert rank["archive_matches"] and rank["weights_match"]
