"""A `torch.optim` optimizer's state travels in `.keras` archives and
weights files: training continued after a reload ends where training
without the reload ends."""

import numpy as np
import pytest
import torch

import lamina


def _data():
    rng = np.random.default_rng(0)
    return (
        rng.normal(size=(32, 4)).astype("float32"),
        rng.normal(size=(32, 2)).astype("float32"),
    )


OPTIMIZERS = {
    "adam": lambda: lamina.optimizers.TorchOptimizer(torch.optim.Adam, lr=0.01),
    "sgd_momentum": lambda: lamina.optimizers.TorchOptimizer(
        torch.optim.SGD, lr=0.05, momentum=0.9
    ),
    "adamw": lambda: lamina.optimizers.TorchOptimizer(
        torch.optim.AdamW, lr=0.01, weight_decay=0.1
    ),
}


def _model(name):
    lamina.utils.set_random_seed(3)
    model = lamina.Sequential(
        [lamina.Input((4,)), lamina.layers.Dense(3), lamina.layers.Dense(2)]
    )
    model.compile(optimizer=OPTIMIZERS[name](), loss="mse")
    return model


def _fit(model, x, y, epochs):
    model.fit(x, y, batch_size=8, epochs=epochs, shuffle=False, verbose=0)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_weights_file_carries_torch_optimizer_state(name, tmp_path):
    x, y = _data()
    straight = _model(name)
    _fit(straight, x, y, 2)
    first = _model(name)
    _fit(first, x, y, 1)
    first.save_weights(str(tmp_path / "w.weights.h5"))
    resumed = _model(name)
    resumed.build((None, 4))
    resumed.optimizer.build(resumed._trainable_params())
    resumed.load_weights(str(tmp_path / "w.weights.h5"))
    _fit(resumed, x, y, 1)
    for a, b in zip(resumed.get_weights(), straight.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_state_is_not_made_for_an_untrained_file(tmp_path):
    """Loading a file saved before any step leaves the optimizer without
    state: its first step is still step 1 (Adam's bias correction)."""
    x, y = _data()
    straight = _model("adam")
    _fit(straight, x, y, 1)
    untrained = _model("adam")
    untrained.save_weights(str(tmp_path / "u.weights.h5"))
    loaded = _model("adam")
    loaded.optimizer.build(loaded._trainable_params())
    loaded.load_weights(str(tmp_path / "u.weights.h5"))
    assert not loaded.optimizer.torch_optimizer.state
    _fit(loaded, x, y, 1)
    for a, b in zip(loaded.get_weights(), straight.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_keras_archive_resumes_torch_optimizer(tmp_path):
    x, y = _data()
    straight = _model("adam")
    _fit(straight, x, y, 2)
    first = _model("adam")
    _fit(first, x, y, 1)
    first.save(str(tmp_path / "m.keras"))
    resumed = lamina.saving.load_model(str(tmp_path / "m.keras"))
    assert type(resumed.optimizer.torch_optimizer) is torch.optim.Adam
    _fit(resumed, x, y, 1)
    for a, b in zip(resumed.get_weights(), straight.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
