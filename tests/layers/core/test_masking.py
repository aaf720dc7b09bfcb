import json
import warnings

import numpy as np
import pytest
import torch

import lamina
from lamina.errors import LaminaWarning
from lamina.layers.core.masking import Masking
from tests.keras_oracle import keras, to_numpy


def _data(rng, shape, mask_value):
    x = rng.normal(size=shape).astype("float32")
    x[:, 1] = mask_value  # a fully masked timestep
    x[:, -1, ..., 0] = mask_value  # only partly: stays unmasked
    return x


@pytest.mark.parametrize("shape", [(2, 4, 3), (2, 3, 2, 2)])
@pytest.mark.parametrize("mask_value", [0.0, 1.5])
def test_matches_keras(rng, shape, mask_value):
    x = _data(rng, shape, mask_value)
    k = keras.layers.Masking(mask_value=mask_value)(torch.tensor(x))
    m = Masking(mask_value=mask_value)(torch.tensor(x))
    np.testing.assert_allclose(to_numpy(m), to_numpy(k))
    np.testing.assert_array_equal(
        to_numpy(m._keras_mask), to_numpy(k._keras_mask)
    )
    assert not m._keras_mask[:, 1].any()
    assert (m[:, 1] == 0).all()


def test_symbolic_matches_keras():
    k = keras.layers.Masking()(keras.Input((5, 3)))
    m = Masking()(lamina.Input((5, 3)))
    assert m.shape == tuple(k.shape)
    assert m._keras_mask.shape == tuple(k._keras_mask.shape) == (None, 5)


class _Recorder(lamina.layers.Layer):
    def call(self, inputs, mask=None):
        self.seen = mask
        return inputs


class _NoMask(lamina.layers.Layer):
    def call(self, inputs):
        return inputs


def test_downstream_layers_receive_the_mask():
    recorder = _Recorder()
    model = lamina.Sequential([Masking(input_shape=(3, 2)), recorder])
    assert model.output_shape == (None, 3, 2)
    model(torch.tensor([[[1.0, 0.0], [0.0, 0.0], [0.0, 2.0]]]))
    assert recorder.seen.tolist() == [[True, False, True]]


def test_layer_without_mask_support_raises():
    x = Masking()(lamina.Input((3, 2)))
    # The engine retries a failed meta trace eagerly and warns first
    # (reported as an engine issue), hence the filter.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LaminaWarning)
        with pytest.raises(ValueError, match=r"does not support masking"):
            _NoMask()(x)
    with pytest.raises(ValueError, match=r"does not support masking"):
        _NoMask()(Masking()(torch.ones(1, 2, 2)))


def test_tensor_mask_value():
    value = torch.tensor([1.0, 2.0])
    x = torch.tensor([[[1.0, 2.0], [1.0, 3.0]]])
    out = Masking(mask_value=value)(x)
    assert out._keras_mask.tolist() == [[False, True]]


def test_config_matches_keras_and_round_trips():
    k, m = keras.layers.Masking(mask_value=-1.0), Masking(mask_value=-1.0)
    k_config, m_config = k.get_config(), m.get_config()
    k_config.pop("name"), m_config.pop("name")
    assert m_config == k_config
    config = json.loads(json.dumps(m.get_config()))
    assert Masking.from_config(config).mask_value == -1.0
    keras.layers.Masking.from_config(config)


def test_built_at_init():
    layer = Masking()
    assert layer.built
    assert "mask_value=0.0" in repr(layer)


def test_compute_mask_on_numpy_input_as_in_keras():
    x = np.zeros((2, 3, 4), "float32")
    x[0, 1] = 1.0
    mine = Masking().compute_mask(x)
    theirs = keras.layers.Masking().compute_mask(x)
    np.testing.assert_array_equal(to_numpy(mine), to_numpy(theirs))
