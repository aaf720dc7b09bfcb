"""EarlyStopping against Keras's, driven by the same epoch logs."""

import numpy as np
import pytest

import lamina
from lamina.errors import LaminaWarning
from tests.callbacks.fakes import FakeMetric
from tests.callbacks.fakes import FakeModel
from tests.callbacks.fakes import drive
from tests.callbacks.fakes import keras_model
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

LOSSES = [1.0, 0.8, 0.81, 0.79, 0.795, 0.9, 0.6, 0.61, 0.62, 0.63, 0.64]
ACCURACY = [0.5, 0.6, 0.59, 0.7, 0.7, 0.69, 0.71, 0.705, 0.7, 0.6, 0.65]

CASES = [
    dict(patience=0),
    dict(patience=2),
    dict(patience=1, min_delta=0.0125),
    dict(patience=2, min_delta=0.0125, restore_best_weights=True),
    dict(patience=1, baseline=0.75),
    dict(patience=2, baseline=0.5, restore_best_weights=True),
    dict(patience=1, start_from_epoch=3, restore_best_weights=True),
    dict(patience=3, mode="max", monitor="val_acc"),
    dict(
        patience=1,
        mode="max",
        monitor="val_acc",
        baseline=0.72,
        restore_best_weights=True,
    ),
    dict(patience=20, restore_best_weights=True),
]


def logs_sequence():
    return [
        {"loss": l, "val_loss": l, "val_acc": a}
        for l, a in zip(LOSSES, ACCURACY)
    ]


@pytest.mark.parametrize("kwargs", CASES)
def test_matches_keras(kwargs):
    ours = lamina.callbacks.EarlyStopping(**kwargs)
    theirs = keras.callbacks.EarlyStopping(**kwargs)
    model, twin = FakeModel(), keras_model()
    ran = drive(ours, model, logs_sequence())
    ran_twin = drive(theirs, twin, logs_sequence())
    assert len(ran) == len(ran_twin)
    assert ours.stopped_epoch == theirs.stopped_epoch
    assert ours.best_epoch == theirs.best_epoch
    assert ours.wait == theirs.wait
    assert model.stop_training == twin.stop_training
    for w, w_twin in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(w, to_numpy(w_twin))


def test_random_sequences_match_keras():
    rng = np.random.default_rng(0)
    for _ in range(6):
        values = np.round(rng.uniform(0, 1, size=12), 3).tolist()
        kwargs = dict(
            patience=int(rng.integers(0, 3)),
            min_delta=0.0125,
            restore_best_weights=True,
        )
        ours = lamina.callbacks.EarlyStopping(**kwargs)
        theirs = keras.callbacks.EarlyStopping(**kwargs)
        logs = [{"val_loss": v} for v in values]
        drive(ours, FakeModel(), logs)
        drive(theirs, keras_model(), logs)
        assert ours.stopped_epoch == theirs.stopped_epoch
        assert ours.best_epoch == theirs.best_epoch


def test_verbose_prints_epoch_value_and_restored_epoch(capsys):
    callback = lamina.callbacks.EarlyStopping(
        patience=1, verbose=1, restore_best_weights=True
    )
    logs = [{"val_loss": v} for v in (0.5, 0.4, 0.6, 0.7)]
    drive(callback, FakeModel(), logs)
    assert capsys.readouterr().out == (
        "Epoch 3: early stopping\n"
        "`val_loss` did not improve on the best value 0.40000 (epoch 2) for "
        "1 epoch(s); it was 0.60000 at epoch 3.\n"
        "Restoring model weights from the end of the best epoch: 2.\n"
    )


def test_baseline_never_beaten_names_the_baseline():
    callback = lamina.callbacks.EarlyStopping(patience=1, baseline=0.1)
    drive(callback, FakeModel(), [{"val_loss": v} for v in (0.5, 0.4, 0.6)])
    assert callback.stopped_epoch == 2
    assert "did not improve on the baseline 0.1" in callback.stop_reason


def test_auto_mode_uses_the_metric_direction():
    model = FakeModel(metrics=[FakeMetric("accuracy", "up")])
    callback = lamina.callbacks.EarlyStopping(monitor="val_accuracy")
    drive(callback, model, [{"val_accuracy": v} for v in (0.5, 0.6, 0.7)])
    assert callback.stopped_epoch == 0 and callback.best == 0.7


def test_auto_mode_unknown_direction_raises_like_keras():
    ours = lamina.callbacks.EarlyStopping(monitor="val_accuracy")
    theirs = keras.callbacks.EarlyStopping(monitor="val_accuracy")
    logs = [{"val_accuracy": 0.5}]
    with pytest.raises(ValueError) as ours_error:
        drive(ours, FakeModel(), logs)
    with pytest.raises(ValueError) as their_error:
        drive(theirs, keras_model(), logs)
    assert str(ours_error.value) == str(their_error.value)
    assert "Pass `mode='max'`" in str(ours_error.value)


def test_missing_monitor_warns_and_keeps_training():
    callback = lamina.callbacks.EarlyStopping(monitor="val_auc", mode="max")
    with pytest.warns(
        LaminaWarning,
        match=r"`val_auc` which is not available"
        r"\. Available metrics are: loss",
    ):
        drive(callback, FakeModel(), [{"loss": 1.0}, {"loss": 2.0}])
    assert callback.stopped_epoch == 0


def test_bad_mode():
    with pytest.raises(
        ValueError,
        match=r"`mode` of EarlyStopping: expected "
        r"one of 'auto', 'min', 'max'.*mode='maximum'",
    ):
        lamina.callbacks.EarlyStopping(mode="maximum")
