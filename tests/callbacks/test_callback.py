"""The Callback base: no-op hooks, Keras's attributes, override detection."""

import pytest

import lamina
from lamina.callbacks.callback import ALL_HOOKS
from lamina.callbacks.callback import overrides_batch_hooks
from tests.keras_oracle import keras


def test_same_hooks_as_keras_and_all_are_no_ops():
    keras_hooks = {
        n for n in dir(keras.callbacks.Callback) if n.startswith("on_")
    }
    assert set(ALL_HOOKS) == keras_hooks
    callback = lamina.callbacks.Callback()
    for name in ALL_HOOKS:
        hook = getattr(callback, name)
        assert (
            hook(0) if "epoch" in name or "batch" in name else hook()
        ) is None
    assert callback.params is None and callback.model is None


def test_set_params_and_model():
    callback = lamina.callbacks.Callback()
    model = object()
    callback.set_params({"epochs": 3})
    callback.set_model(model)
    assert callback.params == {"epochs": 3} and callback.model is model
    with pytest.raises(AttributeError):
        callback.model = model  # read-only, as in Keras


def test_legacy_on_batch_hooks_receive_train_batches():
    calls = []

    class Legacy(lamina.callbacks.Callback):
        def on_batch_end(self, batch, logs=None):
            calls.append((batch, logs))

    callback = Legacy()
    callback.on_train_batch_end(2, {"loss": 1.0})
    assert calls == [(2, {"loss": 1.0})]
    assert overrides_batch_hooks(callback) and callback.needs_batch_logs
    assert not lamina.callbacks.Callback().needs_batch_logs
