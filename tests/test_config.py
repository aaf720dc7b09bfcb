"""lamina.config: Keras's 25 names, and their effects."""

import warnings

import numpy as np
import pytest
import torch

import lamina
from lamina import config
from tests.keras_oracle import keras


def test_has_every_keras_name():
    names = [n for n in dir(keras.config) if not n.startswith("_")]
    assert len(names) == 25
    assert [n for n in names if not hasattr(config, n)] == []


def test_backend_and_set_backend():
    assert config.backend() == "torch" == lamina.backend.backend()
    config.set_backend("torch")
    with pytest.raises(ValueError, match="PyTorch only.*backend='jax'"):
        config.set_backend("jax")
    assert config.is_nnx_enabled() is False


def test_dtype_policy_roundtrip():
    assert config.dtype_policy().name == "float32"
    config.set_dtype_policy("mixed_float16")
    try:
        assert config.dtype_policy().name == "mixed_float16"
        layer = lamina.layers.Dense(2)
        assert layer.compute_dtype == "float16"
        assert layer.variable_dtype == "float32"
    finally:
        config.set_dtype_policy(None)
    assert config.dtype_policy().name == "float32"


def _model():
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_max_epochs_and_steps_cap_fit_evaluate_predict():
    x, y = np.ones((40, 3), "float32"), np.ones((40, 1), "float32")
    model = _model()
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    try:
        with pytest.warns(UserWarning, match="Limiting epochs to 2"):
            history = model.fit(x, y, batch_size=4, epochs=5, verbose=0)
        assert len(history.history["loss"]) == 2
        steps = []
        cb = lamina.callbacks.LambdaCallback(
            on_predict_batch_end=lambda b, logs: steps.append(b)
        )
        with pytest.warns(UserWarning, match="steps_per_epoch to 3"):
            out = model.predict(x, batch_size=4, verbose=0, callbacks=[cb])
        assert len(steps) == 3 and out.shape == (12, 1)
    finally:
        config.set_max_epochs(None)
        config.set_max_steps_per_epoch(None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="`max_epochs` of set_max_epochs"):
        config.set_max_epochs(0)


def test_traceback_filtering_controls_layer_context():
    class Boom(lamina.layers.Layer):
        def call(self, x):
            raise RuntimeError("boom")

    assert config.is_traceback_filtering_enabled()
    with pytest.raises(RuntimeError, match="calling Boom.call"):
        Boom()(torch.ones(1))
    config.disable_traceback_filtering()
    try:
        with pytest.raises(RuntimeError, match="^boom$"):
            Boom()(torch.ones(1))
    finally:
        config.enable_traceback_filtering()


def test_flash_attention_switch_reaches_sdpa(monkeypatch):
    chosen = []
    real = torch.nn.attention.sdpa_kernel

    def spy(backends, *args, **kwargs):
        chosen.append(list(backends))
        return real(backends, *args, **kwargs)

    monkeypatch.setattr(torch.nn.attention, "sdpa_kernel", spy)
    q = torch.ones(1, 2, 1, 4)
    assert config.is_flash_attention_enabled() is None
    lamina.ops.dot_product_attention(q, q, q)
    assert chosen == []
    config.disable_flash_attention()
    try:
        assert config.is_flash_attention_enabled() is False
        out = lamina.ops.dot_product_attention(q, q, q)
        flash = torch.nn.attention.SDPBackend.FLASH_ATTENTION
        assert chosen and flash not in chosen[-1]
        assert out.shape == (1, 2, 1, 4)
        config.enable_flash_attention()
        assert config.is_flash_attention_enabled() is True
    finally:
        config._settings["flash_attention"] = None
