import json

import torch

import lamina
from lamina.layers.core.identity import Identity
from lamina.layers.core.masking import Masking
from tests.keras_oracle import keras


def test_returns_inputs():
    x = torch.randn(2, 3)
    assert Identity()(x) is x
    pair = [torch.ones(1), torch.zeros(2)]
    out = Identity()(pair)
    assert out[0] is pair[0] and out[1] is pair[1]
    ints = torch.tensor([1, 2])
    assert Identity()(ints).dtype == torch.int64


def test_symbolic_matches_keras():
    k = keras.layers.Identity()(keras.Input((4, 2)))
    m = Identity()(lamina.Input((4, 2)))
    assert m.shape == tuple(k.shape) == (None, 4, 2)


def test_passes_the_mask():
    masked = Masking()(lamina.Input((3, 2)))
    assert Identity()(masked)._keras_mask.shape == (None, 3)
    data = torch.tensor([[[1.0, 0.0], [0.0, 0.0]]])
    assert Identity()(Masking()(data))._keras_mask.tolist() == [[True, False]]


def test_sequential_with_input_shape():
    model = lamina.Sequential([Identity(input_shape=(3,))])
    assert model.output_shape == (None, 3)
    assert model(torch.ones(2, 3)).shape == (2, 3)


def test_config_matches_keras_and_round_trips():
    k, m = keras.layers.Identity(name="same"), Identity(name="same")
    assert m.get_config() == k.get_config()
    config = json.loads(json.dumps(m.get_config()))
    assert Identity.from_config(config).name == "same"
    assert Identity().built
