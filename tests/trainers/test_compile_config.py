"""`get_compile_config` / `compile_from_config` against Keras 3."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras


def _model(lib):
    return lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])


CASES = [
    lambda lib: dict(
        optimizer=lib.optimizers.Adam(2e-3),
        loss=lib.losses.MeanSquaredError(),
        metrics=[lib.metrics.MeanAbsoluteError(), "acc"],
    ),
    lambda lib: dict(
        optimizer="sgd",
        loss=lib.losses.mean_squared_error,
        metrics=["mae"],
        weighted_metrics=["mse"],
    ),
    lambda lib: dict(
        optimizer=lib.optimizers.RMSprop(rho=0.8),
        loss="mae",
        loss_weights=[0.5],
        run_eagerly=True,
    ),
    lambda lib: dict(
        optimizer="adam",
        loss=[
            lib.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
        ],
        jit_compile="auto",
    ),
]


def _without_module(config):
    # Keras's optimizers live in backend modules
    # (`keras.src.backend.torch.optimizers.torch_adam`); lamina writes the
    # public `keras.optimizers`, which Keras reads on every backend.
    if isinstance(config.get("optimizer"), dict):
        config["optimizer"] = {
            k: v
            for k, v in config["optimizer"].items()
            if k not in ("module", "registered_name")
        }
    return config


@pytest.mark.parametrize("case", range(len(CASES)))
def test_compile_config_matches_keras(case):
    k_model, l_model = _model(keras), _model(lamina)
    k_model.compile(**CASES[case](keras))
    l_model.compile(**CASES[case](lamina))
    k_config = _without_module(k_model.get_compile_config())
    l_config = _without_module(l_model.get_compile_config())
    for config in (k_config, l_config):  # names depend on object counts
        if isinstance(config.get("optimizer"), dict):
            config["optimizer"]["config"].pop("name")
    assert l_config == k_config


@pytest.mark.parametrize("case", range(len(CASES)))
def test_compile_from_config_round_trips(case):
    model = _model(lamina)
    model.compile(**CASES[case](lamina))
    config = model.get_compile_config()
    fresh = _model(lamina)
    fresh.compile_from_config(config)
    assert fresh.compiled and fresh.optimizer.built
    assert type(fresh.optimizer) is type(model.optimizer)
    assert float(fresh.optimizer.learning_rate) == pytest.approx(
        float(model.optimizer.learning_rate)
    )
    again = fresh.get_compile_config()
    for c in (config, again):
        if isinstance(c.get("optimizer"), dict):
            c["optimizer"]["config"].pop("name")
    assert again == config


def test_keras_reads_lamina_compile_config():
    l_model = _model(lamina)
    l_model.compile(**CASES[0](lamina))
    k_model = _model(keras)
    k_model.compile_from_config(l_model.get_compile_config())
    assert isinstance(k_model.optimizer, keras.optimizers.Adam)
    assert np.isclose(float(k_model.optimizer.learning_rate), 2e-3)


def test_before_compile_is_none():
    assert _model(lamina).get_compile_config() is None


def test_torch_optimizer_is_recorded_as_torch_optimizer():
    model = _model(lamina)
    model.compile(optimizer=torch.optim.SGD, loss=torch.nn.MSELoss())
    config = model.get_compile_config()
    assert config["optimizer"]["class_name"] == "TorchOptimizer"
    assert config["optimizer"]["config"]["optimizer"] == "SGD"
    assert config["loss"] is None  # a torch loss module has no Keras form
    fresh = _model(lamina)
    fresh.compile_from_config(config)
    assert type(fresh.optimizer.torch_optimizer) is torch.optim.SGD


def test_missing_optimizer_falls_back_to_rmsprop_with_a_warning():
    config = _model(lamina)
    config.compile(loss="mse")
    saved = {**config.get_compile_config(), "optimizer": None}
    fresh = _model(lamina)
    with pytest.warns(UserWarning, match="records no optimizer.*rmsprop"):
        fresh.compile_from_config(saved)
    assert type(fresh.optimizer).__name__ == "RMSprop"


def test_unknown_argument_is_named():
    model = _model(lamina)
    with pytest.raises(
        ValueError,
        match=r"compile config of model "
        r"'sequential.*warp_speed",
    ):
        model.compile_from_config({"loss": "mse", "warp_speed": 9})


def test_huber_delta_is_kept():
    """Keras 3.15's Huber config drops `delta`; lamina keeps it (a saved
    Huber(delta=2.0) reloads with its delta), and Keras reads it."""
    model = _model(lamina)
    model.compile(loss=lamina.losses.Huber(delta=2.0))
    loss = model.get_compile_config()["loss"]
    assert loss["config"]["delta"] == 2.0
    assert keras.losses.deserialize(loss).get_config()["name"] == "huber_loss"
    fresh = _model(lamina)
    fresh.compile_from_config(model.get_compile_config())
    assert fresh.get_compile_config()["loss"]["config"]["delta"] == 2.0


def test_single_output_list_loss_weights_train():
    x = np.ones((4, 3), "float32")
    model = _model(lamina)
    model.compile(optimizer="sgd", loss=["mse"], loss_weights=[0.5])
    half = model.evaluate(x, np.zeros((4, 2), "float32"), verbose=0)
    model.compile(optimizer="sgd", loss="mse")
    full = model.evaluate(x, np.zeros((4, 2), "float32"), verbose=0)
    assert half == pytest.approx(full / 2, rel=1e-5)
