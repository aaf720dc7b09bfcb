"""TerminateOnNaN against Keras's."""

import math

import pytest

import lamina
from lamina.callbacks import CallbackList
from tests.callbacks.fakes import FakeModel
from tests.callbacks.fakes import keras_model
from tests.keras_oracle import keras


@pytest.mark.parametrize("loss", [math.nan, math.inf, -math.inf, 1.0])
def test_matches_keras(loss, capsys):
    model, twin = FakeModel(), keras_model()
    twin.stop_training = False
    for callback, m in (
        (lamina.callbacks.TerminateOnNaN(), model),
        (keras.callbacks.TerminateOnNaN(), twin),
    ):
        callback.set_model(m)
        callback.on_train_batch_end(2, {"loss": loss})
    assert model.stop_training == twin.stop_training == (loss != 1.0)
    out = capsys.readouterr().out
    message = "Batch 2: Invalid loss, terminating training\n"
    assert out == (2 * message if loss != 1.0 else "")


def test_stop_reason_through_callback_list():
    model = FakeModel()
    callbacks = CallbackList(
        [lamina.callbacks.TerminateOnNaN()], add_history=True, model=model
    )
    assert callbacks.needs_batch_logs
    callbacks.on_train_batch_end(4, {"loss": math.nan})
    assert callbacks.stop_reason == (
        "TerminateOnNaN stopped training in `on_train_batch_end` of batch 4: "
        "invalid loss nan at batch 4."
    )


def test_raise_error_message_matches_keras():
    ours = lamina.callbacks.TerminateOnNaN(raise_error=True)
    theirs = keras.callbacks.TerminateOnNaN(raise_error=True)
    with pytest.raises(RuntimeError) as e:
        ours.on_train_batch_end(1, {"loss": math.inf})
    with pytest.raises(RuntimeError) as keras_error:
        theirs.on_train_batch_end(1, {"loss": math.inf})
    assert str(e.value) == str(keras_error.value)
    assert "NaN or Inf loss encountered at batch 1" in str(e.value)
