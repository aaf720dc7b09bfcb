"""CSVLogger: file contents byte for byte against Keras's."""

import numpy as np
import pytest

import lamina
from tests.callbacks.fakes import FakeModel
from tests.callbacks.fakes import drive
from tests.callbacks.fakes import keras_model
from tests.keras_oracle import keras

TRAIN_ONLY = [{"loss": 0.5, "acc": 0.25}, {"loss": 0.25, "acc": 0.5}]
WITH_VAL = [
    {"loss": 0.5, "val_loss": 0.75, "vec": np.array([1.0, 2.0])},
    {
        "loss": 0.25,
        "val_loss": 0.5,
        "vec": np.array([3.0, 4.0]),
        "note": "text",
    },
]


def both_files(tmp_path, epoch_logs, runs=1, **kwargs):
    contents = []
    for name, module, model in (
        ("ours.csv", lamina.callbacks, FakeModel()),
        ("theirs.csv", keras.callbacks, keras_model()),
    ):
        path = tmp_path / name
        for _ in range(runs):
            drive(module.CSVLogger(path, **kwargs), model, epoch_logs)
        contents.append(path.read_bytes())
    return contents


@pytest.mark.parametrize("epoch_logs", [TRAIN_ONLY, WITH_VAL, [{}]])
def test_matches_keras(tmp_path, epoch_logs):
    ours, theirs = both_files(tmp_path, epoch_logs)
    assert ours == theirs


def test_separator_and_append_match_keras(tmp_path):
    ours, theirs = both_files(
        tmp_path, TRAIN_ONLY, runs=2, separator=";", append=True
    )
    assert ours == theirs
    assert ours.decode().splitlines() == [
        "epoch;acc;loss;val_acc;val_loss",
        "0;0.25;0.5;NA;NA",
        "1;0.5;0.25;NA;NA",
        "0;0.25;0.5;NA;NA",
        "1;0.5;0.25;NA;NA",
    ]


def test_overwrites_without_append(tmp_path):
    path = tmp_path / "log.csv"
    for _ in range(2):
        drive(lamina.callbacks.CSVLogger(path), FakeModel(), TRAIN_ONLY)
    assert len(path.read_text().splitlines()) == 3


def test_epoch_end_before_train_begin_is_explained(tmp_path):
    logger = lamina.callbacks.CSVLogger(tmp_path / "log.csv")
    with pytest.raises(
        ValueError, match="`on_epoch_end` before `on_train_begin`"
    ):
        logger.on_epoch_end(0, {"loss": 1.0})
