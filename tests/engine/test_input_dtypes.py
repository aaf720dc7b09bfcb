"""Bool and integer inputs reach float layers as Keras's do: a layer with
float weights casts them to its compute dtype, a model's `Input` casts to
its own dtype, integer layers (`Embedding`) keep them."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy

DTYPES = ["bool", "int64", "uint8", "int32"]


def _data(dtype, shape=(4, 3)):
    return (np.random.default_rng(0).integers(0, 2, shape)).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dense_on_non_float_input_matches_keras(dtype):
    k_layer, layer = keras.layers.Dense(2), lamina.layers.Dense(2)
    x = _data(dtype)
    k_out = k_layer(x)
    layer.build((None, 3))
    layer.set_weights(k_layer.get_weights())
    out = layer(x)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(to_numpy(out), to_numpy(k_out), rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
def test_functional_float_input_casts_as_in_keras(dtype):
    def build(lib):
        x = lib.Input((3,))
        return lib.Model(x, lib.layers.Dense(2)(x))

    k_model, model = build(keras), build(lamina)
    model.set_weights(k_model.get_weights())
    x = _data(dtype)
    np.testing.assert_allclose(
        to_numpy(model(x)), to_numpy(k_model(x)), rtol=1e-6
    )
    np.testing.assert_allclose(
        model.predict(x, verbose=0), k_model.predict(x, verbose=0), rtol=1e-6
    )


def test_integer_input_layer_and_embedding_keep_integers():
    x = lamina.Input((2,), dtype="int64")
    model = lamina.Model(x, lamina.layers.Embedding(5, 3)(x))
    assert tuple(model(np.array([[1, 4]])).shape) == (1, 2, 3)


@pytest.mark.parametrize("with_input", [True, False])
def test_lstm_fit_on_one_hot_bool_sequences_matches_keras(with_input):
    def build(lib):
        head = [lib.Input((5, 4))] if with_input else []
        return lib.Sequential(
            head
            + [lib.layers.LSTM(3), lib.layers.Dense(4, activation="softmax")]
        )

    rng = np.random.default_rng(1)
    x = np.eye(4, dtype=bool)[rng.integers(0, 4, (8, 5))]
    y = np.eye(4, dtype=bool)[rng.integers(0, 4, 8)]
    k_model, model = build(keras), build(lamina)
    k_model.build((None, 5, 4))
    model.build((None, 5, 4))
    model.set_weights(k_model.get_weights())
    for m in (model, k_model):
        m.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
    mine = model.fit(x, y, batch_size=4, shuffle=False, verbose=0).history
    theirs = k_model.fit(x, y, batch_size=4, shuffle=False, verbose=0).history
    np.testing.assert_allclose(mine["loss"], theirs["loss"], rtol=1e-5)
    np.testing.assert_allclose(mine["accuracy"], theirs["accuracy"])
