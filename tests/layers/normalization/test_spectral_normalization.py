"""SpectralNormalization (and the Wrapper base) against Keras 3."""

import inspect

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy

CASES = [
    ("Dense", {"units": 4}, (3, 5), 1),
    ("Dense", {"units": 2, "use_bias": False}, (2, 6), 3),
    ("Conv2D", {"filters": 3, "kernel_size": 2}, (2, 5, 5, 2), 2),
    ("Embedding", {"input_dim": 7, "output_dim": 3}, (2, 4), 1),
]


def _pair(name, kwargs, power_iterations):
    ours = lamina.layers.SpectralNormalization(
        getattr(lamina.layers, name)(**kwargs),
        power_iterations=power_iterations,
    )
    theirs = keras.layers.SpectralNormalization(
        getattr(keras.layers, name)(**kwargs), power_iterations=power_iterations
    )
    return ours, theirs


def _input(name, shape, rng):
    if name == "Embedding":
        return rng.integers(0, 7, shape)
    return rng.standard_normal(shape).astype("float32")


@pytest.mark.parametrize("name,kwargs,shape,iterations", CASES)
def test_training_calls_match_keras(name, kwargs, shape, iterations):
    rng = np.random.default_rng(0)
    ours, theirs = _pair(name, kwargs, iterations)
    x = _input(name, shape, rng)
    theirs(x)
    ours(torch.as_tensor(x))
    ours.set_weights(theirs.get_weights())
    for _ in range(3):
        expected = to_numpy(theirs(x, training=True))
        got = ours(torch.as_tensor(x), training=True)
        np.testing.assert_allclose(
            got.detach().numpy(), expected, rtol=1e-5, atol=1e-6
        )
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # Inference leaves the kernel alone.
    before = [w.copy() for w in ours.get_weights()]
    ours(torch.as_tensor(x), training=False)
    for a, b in zip(before, ours.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_config_round_trips_both_ways():
    ours, theirs = _pair("Dense", {"units": 3, "name": "inner"}, 2)
    config = ours.get_config()
    assert config == {**theirs.get_config(), "name": config["name"]}
    again = keras.layers.SpectralNormalization.from_config(config)
    assert again.power_iterations == 2
    back = lamina.layers.SpectralNormalization.from_config(theirs.get_config())
    assert isinstance(back.layer, lamina.layers.Dense)


def test_weight_names_and_signature_match_keras():
    ours, theirs = _pair("Dense", {"units": 3}, 1)
    ours.build((None, 4))
    theirs.build((None, 4))
    assert [w.shape for w in ours.get_weights()] == [
        tuple(w.shape) for w in theirs.weights
    ]

    def params(cls):
        return [
            (p.name, p.kind, p.default)
            for p in inspect.signature(cls).parameters.values()
        ]

    assert params(lamina.layers.SpectralNormalization) == params(
        keras.layers.SpectralNormalization
    )
    assert params(lamina.layers.Wrapper) == params(keras.layers.Wrapper)


def test_bad_arguments():
    with pytest.raises(
        ValueError, match="power_iterations.*Received: power_iterations=0"
    ):
        lamina.layers.SpectralNormalization(
            lamina.layers.Dense(2), power_iterations=0
        )
    with pytest.raises(
        ValueError, match="`layer` of SpectralNormalization.*Received: layer="
    ):
        lamina.layers.SpectralNormalization("dense")
    layer = lamina.layers.SpectralNormalization(lamina.layers.Flatten())
    with pytest.raises(ValueError, match="`kernel` or an `embeddings`"):
        layer(torch.ones(2, 3, 4))


def test_wrappers_are_wrappers():
    td = lamina.layers.TimeDistributed(lamina.layers.Dense(2))
    assert isinstance(td, lamina.layers.Wrapper)
    assert isinstance(
        keras.layers.TimeDistributed(keras.layers.Dense(2)),
        keras.layers.Wrapper,
    )


def test_weight_order_and_paths_match_keras():
    # Keras tracks the wrapped kernel as the wrapper's own weight too:
    # [dense/kernel, vector_u, dense/bias], each listed once.
    keras.utils.clear_session()
    lamina.utils.clear_session()
    ours, theirs = _pair("Dense", {"units": 3}, 1)
    ours.build((None, 4))
    theirs.build((None, 4))
    assert [(w.path, tuple(w.shape)) for w in ours.weights] == [
        (w.path, tuple(w.shape)) for w in theirs.weights
    ]
    assert [w.path for w in ours.trainable_weights] == [
        w.path for w in theirs.trainable_weights
    ]
    assert [w.path for w in ours.non_trainable_weights] == [
        w.path for w in theirs.non_trainable_weights
    ]
    assert ours.count_params() == theirs.count_params() == 4 * 3 + 3 + 3
    # torch sees each tensor once.
    assert sum(p.numel() for p in ours.parameters()) == 4 * 3 + 3 + 3
    assert sorted(ours.state_dict()) == [
        "layer.bias",
        "layer.kernel",
        "vector_u",
    ]
    ours.set_weights(theirs.get_weights())
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_trained_weights_in_keras_files_both_ways(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 4)).astype("float32")

    def model(lib):
        inputs = lib.Input((4,))
        layer = lib.layers.SpectralNormalization(lib.layers.Dense(3))
        return lib.Model(inputs, layer(inputs)), layer

    (k_model, k_layer), (l_model, l_layer) = model(keras), model(lamina)
    l_model.set_weights(k_model.get_weights())
    for _ in range(2):
        k_layer(x, training=True)
        l_layer(torch.as_tensor(x), training=True)
    l_model.save(str(tmp_path / "l.keras"))
    k_model.save(str(tmp_path / "k.keras"))
    in_keras = keras.saving.load_model(str(tmp_path / "l.keras"))
    in_lamina = lamina.saving.load_model(str(tmp_path / "k.keras"))
    expected = k_model.get_weights()
    for got in (in_keras.get_weights(), in_lamina.get_weights()):
        assert len(got) == 3
        for a, b in zip(got, expected):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        to_numpy(in_lamina.predict(x, verbose=0)),
        to_numpy(k_model.predict(x, verbose=0)),
        rtol=1e-5,
        atol=1e-6,
    )
