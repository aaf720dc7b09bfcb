import json

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.recurrent.time_distributed import TimeDistributed
from tests.keras_oracle import keras, to_numpy
from tests.layers.recurrent.helpers import assert_close
from tests.layers.recurrent.helpers import call_both
from tests.layers.recurrent.helpers import config_without_name
from tests.layers.recurrent.helpers import random_input


@pytest.mark.parametrize("shape", [(2, 5, 3), (2, 4, 3, 6)])
def test_dense_matches_keras(shape):
    k = keras.layers.TimeDistributed(keras.layers.Dense(4, activation="relu"))
    m = TimeDistributed(lamina.layers.Dense(4, activation="relu"))
    x = random_input(shape)
    k_out, m_out = call_both(k, m, x)
    assert_close(m_out, k_out)
    assert [w.shape for w in m.get_weights()] == [(shape[-1], 4), (4,)]


def test_mask_passes_through_like_keras():
    def model(lib):
        x = lib.Input((5, 3))
        y = lib.layers.Masking(0.0)(x)
        y = lib.layers.TimeDistributed(lib.layers.Dense(2))(y)
        return lib.Model(x, lib.layers.LSTM(3, return_sequences=True)(y))

    k_model, m_model = model(keras), model(lamina)
    m_model.set_weights(k_model.get_weights())
    x = random_input((2, 5, 3), seed=1)
    x[0, 3:] = 0.0
    k_out = k_model(torch.from_numpy(x))
    m_out = m_model(torch.from_numpy(x))
    assert_close(m_out, k_out)
    np.testing.assert_array_equal(
        to_numpy(m_out._keras_mask), to_numpy(k_out._keras_mask)
    )


class MaskRecorder(lamina.layers.Layer):
    def call(self, inputs, mask=None):
        self.seen = mask
        return inputs * 2


def test_mask_is_given_to_a_layer_that_takes_one():
    recorder = MaskRecorder()
    mask = torch.tensor([[True, False, True], [False, True, True]])
    out = TimeDistributed(recorder)(torch.ones(2, 3, 4), mask=mask)
    assert out.shape == (2, 3, 4)
    assert recorder.seen.tolist() == mask.reshape(6).tolist()
    assert out._keras_mask.tolist() == mask.tolist()


def test_symbolic_shape_config_and_round_trip():
    shapes = {}
    for lib in (keras, lamina):
        y = lib.layers.TimeDistributed(lib.layers.Dense(3))(
            lib.Input((None, 7))
        )
        shapes[lib] = tuple(y.shape)
    assert shapes[lamina] == shapes[keras] == (None, None, 3)
    k = keras.layers.TimeDistributed(keras.layers.Dense(3))
    m = TimeDistributed(lamina.layers.Dense(3))
    k_config, m_config = config_without_name(k), config_without_name(m)
    for config in (k_config, m_config):
        config["layer"]["config"].pop("name")
        # Keras's Dense writes `quantization_config`, lamina's does not
        # (a core-layer difference, not TimeDistributed's).
        config["layer"]["config"].pop("quantization_config", None)
    assert m_config == k_config
    config = json.loads(json.dumps(m.get_config()))
    assert TimeDistributed.from_config(config).get_config() == config
    keras.layers.TimeDistributed.from_config(config)


def test_training_reaches_the_layer():
    layer = TimeDistributed(lamina.layers.Dropout(0.5, seed=1))
    x = torch.ones(2, 3, 8)
    assert torch.equal(layer(x), x)
    assert not torch.equal(layer(x, training=True), x)


def test_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"`layer` of TimeDistributed: "
        r"expected a lamina `Layer` instance.*Received: "
        r"layer=3",
    ):
        TimeDistributed(3)
    layer = TimeDistributed(lamina.layers.Dense(2))
    with pytest.raises(
        ValueError,
        match=r"expected min_ndim=3, found "
        r"ndim=2",
    ):
        layer(torch.zeros(2, 3))
    with pytest.raises(
        ValueError,
        match=r"expects a mask starting with the "
        r"\(batch, timesteps\).*\(2, 3\).*"
        r"Received: mask.shape=\(2, 4\)",
    ):
        layer(torch.zeros(2, 3, 5), mask=torch.ones(2, 4, dtype=torch.bool))
    with pytest.raises(ValueError, match=r"rank >= 3"):
        TimeDistributed(lamina.layers.Dense(2)).build((None, 3))
