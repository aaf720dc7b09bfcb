"""History: recorded logs against Keras's History."""

import lamina
from tests.callbacks.fakes import FakeModel
from tests.callbacks.fakes import drive
from tests.callbacks.fakes import keras_model
from tests.keras_oracle import keras

LOGS = [{"loss": 0.5, "val_loss": 0.75}, {"loss": 0.25, "val_loss": 0.5}]


def test_matches_keras_across_two_fits():
    ours, theirs = lamina.callbacks.History(), keras.callbacks.History()
    model, twin = FakeModel(), keras_model()
    for _ in range(2):  # A reused History appends, and restarts `epoch`.
        drive(ours, model, LOGS)
        drive(theirs, twin, LOGS)
        assert ours.history == theirs.history
        assert ours.epoch == theirs.epoch == [0, 1]
    assert model.history is ours
    assert ours.history["loss"] == [0.5, 0.25, 0.5, 0.25]


def test_history_needs_no_batch_logs_and_starts_without_stop_reason():
    history = lamina.callbacks.History()
    assert history.needs_batch_logs is False
    assert history.stop_reason is None and history.history == {}
