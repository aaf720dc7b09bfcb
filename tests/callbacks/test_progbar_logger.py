"""ProgbarLogger output in fit, evaluate and predict, against Keras's."""

import io
import sys
import types

import pytest

from tests.keras_oracle import keras

from keras.src.utils import progbar as keras_progbar  # noqa: E402

import lamina  # noqa: E402
from lamina.utils import progbar as lamina_progbar  # noqa: E402
from tests.utils.test_progbar import ANSI  # noqa: E402
from tests.utils.test_progbar import TTY  # noqa: E402
from tests.utils.test_progbar import FakeClock  # noqa: E402


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(lamina_progbar, "_now", fake)
    monkeypatch.setattr(keras_progbar, "time", types.SimpleNamespace(time=fake))
    return fake


def fit(logger, clock, epochs=2, steps=3):
    logger.on_train_begin()
    for epoch in range(epochs):
        logger.on_epoch_begin(epoch)
        for step in range(steps):
            clock.now += 0.004
            logger.on_train_batch_begin(step)
            logs = {"acc": 0.5, "loss": 1.0 / (step + 1)}
            logger.on_train_batch_end(step, logs)
        logger.on_test_begin()
        for step in range(2):  # Validation: not shown in fit's bar.
            logger.on_test_batch_end(step, {"loss": 9.0})
        logger.on_test_end({"loss": 9.0})
        logger.on_epoch_end(
            epoch, {"acc": 0.75, "loss": 0.25 + epoch, "val_loss": 0.5}
        )
    logger.on_train_end()


def evaluate(logger, clock, steps=3):
    logger.on_test_begin()
    for step in range(steps):
        clock.now += 0.01
        logger.on_test_batch_end(step, {"loss": 0.5 * step})
    logger.on_test_end({"loss": 0.5})


def predict(logger, clock, steps=3):
    logger.on_predict_begin()
    for step in range(steps):
        clock.now += 2.0
        logger.on_predict_batch_end(step, {"outputs": None})
    logger.on_predict_end()


def output(module, loop, clock, stdout, **params):
    clock.now = 1000.0
    old, sys.stdout = sys.stdout, stdout
    try:
        logger = module.ProgbarLogger()
        logger.set_params(params)
        loop(logger, clock)
    finally:
        sys.stdout = old
    return stdout.getvalue()


def final_lines(text):
    """Per printed line, what remains after the last in-place redraw."""
    text = ANSI.sub("", text).replace("\b", "")
    lines = [chunk.split("\r")[-1].rstrip() for chunk in text.split("\n")]
    return [line for line in lines if line]


LOOPS = [fit, evaluate, predict]
PARAMS = [
    dict(verbose=1, epochs=2, steps=3),
    dict(verbose=2, epochs=2, steps=3),
    dict(verbose=1, epochs=1, steps=None),
    dict(verbose=2, epochs=3, steps=None),
    dict(verbose=0, epochs=2, steps=3),
]


@pytest.mark.parametrize("loop", LOOPS)
@pytest.mark.parametrize("params", PARAMS)
def test_terminal_output_matches_keras(clock, loop, params):
    ours = output(lamina.callbacks, loop, clock, TTY(), **params)
    theirs = output(keras.callbacks, loop, clock, TTY(), **params)
    assert ours == theirs


@pytest.mark.parametrize("loop", LOOPS)
@pytest.mark.parametrize("params", PARAMS)
def test_log_file_output_is_keras_final_lines(clock, loop, params):
    ours = output(lamina.callbacks, loop, clock, io.StringIO(), **params)
    theirs = output(keras.callbacks, loop, clock, io.StringIO(), **params)
    assert "\r" not in ours and "\x1b" not in ours
    assert ours.splitlines() == final_lines(theirs)


def test_fit_log_text(clock):
    text = output(
        lamina.callbacks,
        fit,
        clock,
        io.StringIO(),
        verbose=1,
        epochs=2,
        steps=3,
    )
    assert text == (
        "Epoch 1/2\n"
        "3/3 ━━━━━━━━━━━━━━━━━━━━ 0s 4ms/step - acc: 0.7500 - loss: 0.2500"
        " - val_loss: 0.5000\n"
        "Epoch 2/2\n"
        "3/3 ━━━━━━━━━━━━━━━━━━━━ 0s 4ms/step - acc: 0.7500 - loss: 1.2500"
        " - val_loss: 0.5000\n"
    )
    two = output(
        lamina.callbacks,
        fit,
        clock,
        io.StringIO(),
        verbose=2,
        epochs=1,
        steps=3,
    )
    # With epochs=1 there is no "Epoch 1/1" line, as in Keras.
    assert two.splitlines()[0] == (
        "3/3 - 0s - 4ms/step - acc: 0.7500 - loss: 0.2500 - val_loss: 0.5000"
    )
