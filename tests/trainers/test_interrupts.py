"""Ctrl-C and NaN losses during `fit`."""

import signal

import numpy as np
import pytest
import torch

import lamina
from lamina.errors import LaminaWarning


def _model(seed=0):
    torch.manual_seed(seed)
    model = lamina.Sequential(
        [lamina.Input((4,)), lamina.layers.Dense(3), lamina.layers.Dense(1)]
    )
    model.compile(lamina.optimizers.SGD(0.05, momentum=0.9), "mse")
    return model


def _data(rng, n=48):
    return (
        rng.standard_normal((n, 4)).astype("float32"),
        rng.standard_normal((n, 1)).astype("float32"),
    )


def _reference(model, x, y, steps, batch=8):
    """The same model trained `steps` batches with train_on_batch."""
    ref = _model()
    ref.set_weights(model.get_weights())
    for i in range(steps):
        ref.train_on_batch(
            x[i * batch : (i + 1) * batch], y[i * batch : (i + 1) * batch]
        )
    return ref


def test_interrupt_in_callback_keeps_last_finished_step(rng):
    x, y = _data(rng)
    model = _model()
    initial = model.get_weights()

    class Interrupt(lamina.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        model.fit(
            x,
            y,
            batch_size=8,
            epochs=2,
            shuffle=False,
            verbose=0,
            callbacks=[Interrupt()],
        )
    fresh = _model()
    fresh.set_weights(initial)
    ref = _reference(fresh, x, y, steps=3)
    for a, b in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert not model.training
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    # Still usable: predict and fit again.
    assert model.predict(x, verbose=0).shape == (48, 1)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)


def test_sigint_inside_update_waits_for_the_update(rng, monkeypatch):
    x, y = _data(rng)
    model = _model()
    initial = model.get_weights()
    optimizer = model.optimizer
    original = type(optimizer).batched_update_step
    calls = []

    def update_then_signal(self, grads, variables, lr, slots):
        calls.append(1)
        if len(calls) == 2:
            # Ctrl-C arrives in the middle of the second update: it must
            # complete before the interrupt surfaces.
            original(
                self,
                grads[:1],
                variables[:1],
                lr,
                {k: v[:1] for k, v in slots.items()},
            )
            signal.raise_signal(signal.SIGINT)
            original(
                self,
                grads[1:],
                variables[1:],
                lr,
                {k: v[1:] for k, v in slots.items()},
            )
            return
        original(self, grads, variables, lr, slots)

    monkeypatch.setattr(
        type(optimizer), "batched_update_step", update_then_signal
    )
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    monkeypatch.undo()
    fresh = _model()
    fresh.set_weights(initial)
    ref = _reference(fresh, x, y, steps=2)
    for a, b in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert int(model.optimizer.iterations) == 2
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_nan_loss_warns_once_and_names_the_fixes(rng):
    x, y = _data(rng)
    x[5, 0] = np.nan
    model = _model()
    with pytest.warns(LaminaWarning, match="TerminateOnNaN") as record:
        history = model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    assert (
        len([w for w in record if issubclass(w.category, LaminaWarning)]) == 1
    )
    assert "learning rate" in str(record[0].message)
    assert len(history.history["loss"]) == 3  # Keras also keeps going


def test_terminate_on_nan_stops_without_warning(rng):
    x, y = _data(rng)
    x[20, 0] = np.inf
    model = _model()
    history = model.fit(
        x,
        y,
        batch_size=8,
        epochs=3,
        shuffle=False,
        verbose=0,
        callbacks=[lamina.callbacks.TerminateOnNaN()],
    )
    assert len(history.history["loss"]) == 1
    assert model.stop_training
