"""Sequential against Keras 3."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


def _stack(lib, first_kwargs):
    return lib.Sequential(
        [
            lib.layers.Dense(8, activation="relu", **first_kwargs),
            lib.layers.Dropout(0.3),
            lib.layers.Dense(3, activation="softmax"),
        ]
    )


@pytest.mark.parametrize("how", ["input_shape", "input_dim", "deferred"])
def test_sequential_matches_keras(how, rng):
    kwargs = {
        "input_shape": {"input_shape": (5,)},
        "input_dim": {"input_dim": 5},
        "deferred": {},
    }[how]
    k_kwargs = {} if how != "input_shape" else {}
    k_model = keras.Sequential(
        [keras.Input((5,))] + _stack(keras, k_kwargs).layers
    )
    l_model = _stack(lamina, kwargs)
    x = rng.normal(size=(4, 5)).astype("float32")
    if how == "deferred":
        assert not l_model.built
        l_model(x)
    assert l_model.output_shape == (None, 3)
    l_model.set_weights(k_model.get_weights())
    np.testing.assert_allclose(
        l_model(x).detach().numpy(), to_numpy(k_model(x)), rtol=1e-5, atol=1e-6
    )
    assert l_model.count_params() == k_model.count_params()


def test_add_pop_and_input():
    model = lamina.Sequential()
    model.add(lamina.Input((4,)))
    model.add(lamina.layers.Dense(3))
    model.add(lamina.layers.Dense(2))
    assert model.output_shape == (None, 2)
    popped = model.pop()
    assert isinstance(popped, lamina.layers.Dense)
    assert model.output_shape == (None, 3)
    assert len(model.layers) == 1
    assert model(torch.ones(2, 4)).shape == (2, 3)


def test_pop_empty_and_bad_add():
    model = lamina.Sequential()
    with pytest.raises(ValueError, match="no layers"):
        model.pop()
    with pytest.raises(ValueError, match="Only instances of"):
        model.add("dense")


def test_sequential_inside_functional(rng):
    inner = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    x = lamina.Input((3,))
    model = lamina.Model(x, lamina.layers.Dense(1)(inner(x)))
    assert model(torch.ones(4, 3)).shape == (4, 1)
    assert model.count_params() == 3 * 2 + 2 + 2 + 1


def test_config_round_trip_matches_keras_layout():
    l_model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    k_model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    l_conf, k_conf = l_model.get_config(), k_model.get_config()
    assert l_conf["build_input_shape"] == k_conf["build_input_shape"]
    assert [e["class_name"] for e in l_conf["layers"]] == [
        e["class_name"] for e in k_conf["layers"]
    ]
    clone = lamina.Sequential.from_config(k_conf)
    assert clone.output_shape == (None, 2)
