"""ModelCheckpoint: file names from templates and save_best_only
decisions, against Keras's."""

import os

import pytest

import lamina
from lamina.errors import LaminaWarning
from tests.callbacks.fakes import FakeModel
from tests.callbacks.fakes import drive
from tests.callbacks.fakes import keras_model
from tests.keras_oracle import keras

LOGS = [
    {"loss": 0.9, "val_loss": 0.8, "val_acc": 0.5},
    {"loss": 0.7, "val_loss": 0.85, "val_acc": 0.6},
    {"loss": 0.5, "val_loss": 0.6, "val_acc": 0.55},
    {"loss": 0.4, "val_loss": 0.65, "val_acc": 0.7},
]

CASES = [
    ("{epoch:02d}-{val_loss:.2f}.weights.h5", dict(save_weights_only=True)),
    ("best.weights.h5", dict(save_weights_only=True, save_best_only=True)),
    (
        "e{epoch}.weights.h5",
        dict(
            save_weights_only=True,
            save_best_only=True,
            monitor="val_acc",
            mode="max",
        ),
    ),
    (
        "e{epoch}.weights.h5",
        dict(
            save_weights_only=True,
            save_best_only=True,
            initial_value_threshold=0.7,
        ),
    ),
    (
        "sub/e{epoch}-{loss:.1f}.weights.h5",
        dict(save_weights_only=True, save_best_only=True, monitor="loss"),
    ),
    ("e{epoch}b{batch}.weights.h5", dict(save_weights_only=True, save_freq=2)),
    ("model-{epoch}.keras", dict(save_best_only=True)),
]


def saved_files(folder):
    found = []
    for root, _, files in os.walk(folder):
        found += [os.path.relpath(os.path.join(root, f), folder) for f in files]
    return sorted(found)


@pytest.mark.parametrize("template, kwargs", CASES)
def test_files_match_keras(tmp_path, template, kwargs):
    for name, module, model in (
        ("ours", lamina.callbacks, FakeModel()),
        ("theirs", keras.callbacks, keras_model()),
    ):
        callback = module.ModelCheckpoint(
            str(tmp_path / name / template), **kwargs
        )
        drive(callback, model, LOGS, batches=3)
    ours = saved_files(tmp_path / "ours")
    assert ours == saved_files(tmp_path / "theirs")
    assert ours


def test_save_best_only_decisions_and_verbose(tmp_path, capsys):
    model = FakeModel()
    path = str(tmp_path / "best.keras")
    callback = lamina.callbacks.ModelCheckpoint(
        path, save_best_only=True, verbose=1
    )
    drive(callback, model, LOGS)
    assert model.saved == ["best.keras"] * 2  # epochs 1 and 3 improve
    out = capsys.readouterr().out
    assert (
        "\nEpoch 1: val_loss improved from None to 0.80000, saving model" in out
    )
    assert "\nEpoch 2: val_loss did not improve from 0.80000\n" in out
    assert "\nEpoch 3: val_loss improved from 0.80000 to 0.60000" in out


def test_missing_monitor_warns_and_saves(tmp_path):
    model = FakeModel()
    callback = lamina.callbacks.ModelCheckpoint(
        str(tmp_path / "m.keras"),
        monitor="val_auc",
        mode="max",
        save_best_only=True,
    )
    with pytest.warns(LaminaWarning, match="only with val_auc available"):
        drive(callback, model, LOGS[:1])
    assert model.saved == ["m.keras"]


def test_unknown_template_key(tmp_path):
    callback = lamina.callbacks.ModelCheckpoint(
        str(tmp_path / "{val_auc}.keras")
    )
    with pytest.raises(
        KeyError,
        match="Failed to format this callback "
        "filepath.*Reason: 'val_auc'. Available keys: "
        "epoch, loss, val_acc, val_loss.",
    ):
        drive(callback, FakeModel(), LOGS[:1])


@pytest.mark.parametrize(
    "filepath, kwargs",
    [
        ("model.h5.weights", dict(save_weights_only=True)),
        ("model.pt", {}),
    ],
)
def test_wrong_suffix_same_message_as_keras(filepath, kwargs):
    with pytest.raises(ValueError, match="filepath provided must end in") as e:
        lamina.callbacks.ModelCheckpoint(filepath, **kwargs)
    with pytest.raises(ValueError) as keras_error:
        keras.callbacks.ModelCheckpoint(filepath, **kwargs)
    assert str(e.value) == str(keras_error.value)


def test_weights_suffix_without_weights_only_suggests_the_fix():
    # Keras would write a legacy .h5 model there; lamina says what to do.
    with pytest.raises(
        ValueError,
        match=r"must end in `.keras`.*Received: "
        r"filepath=m.weights.h5. To save only the weights.*"
        r"pass `save_weights_only=True`",
    ):
        lamina.callbacks.ModelCheckpoint("m.weights.h5")


def test_bad_mode_and_save_freq():
    with pytest.raises(
        ValueError,
        match=r"`mode` of ModelCheckpoint.*"
        r"Received: mode='best'",
    ):
        lamina.callbacks.ModelCheckpoint("m.keras", mode="best")
    with pytest.raises(ValueError, match="Unrecognized save_freq: 'step'"):
        lamina.callbacks.ModelCheckpoint("m.keras", save_freq="step")
    with pytest.raises(ValueError, match="Unrecognized save_freq: 0"):
        lamina.callbacks.ModelCheckpoint("m.keras", save_freq=0)


def test_directory_filepath_is_explained(tmp_path):
    (tmp_path / "dir.keras").mkdir()
    callback = lamina.callbacks.ModelCheckpoint(str(tmp_path / "dir.keras"))
    with pytest.raises(IsADirectoryError, match="non-directory filepath"):
        drive(callback, FakeModel(), LOGS[:1])
