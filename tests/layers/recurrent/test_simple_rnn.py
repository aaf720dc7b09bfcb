import json

import pytest
import torch

from lamina.layers.recurrent.simple_rnn import SimpleRNN
from tests.keras_oracle import keras
from tests.layers.recurrent.helpers import KernelSpy
from tests.layers.recurrent.helpers import assert_close
from tests.layers.recurrent.helpers import call_both
from tests.layers.recurrent.helpers import config_without_name
from tests.layers.recurrent.helpers import layer_pair
from tests.layers.recurrent.helpers import loop_output
from tests.layers.recurrent.helpers import random_input
from tests.layers.recurrent.helpers import right_padded


@pytest.mark.parametrize(
    "kwargs,kernel",
    [
        (dict(), "rnn_tanh"),
        (
            dict(activation="relu", return_sequences=True, return_state=True),
            "rnn_relu",
        ),
        (
            dict(use_bias=False, go_backwards=True, return_sequences=True),
            "rnn_tanh",
        ),
        (dict(activation="sigmoid", return_state=True), None),
        (dict(unroll=True, return_sequences=True), None),
    ],
)
def test_matches_keras(monkeypatch, kwargs, kernel):
    k, m = layer_pair("SimpleRNN", 4, **kwargs)
    x = random_input((3, 5, 2))
    spy = KernelSpy(monkeypatch)
    k_out, m_out = call_both(k, m, x)
    assert [c[0] for c in spy.calls[-1:]] == ([kernel] if kernel else [])
    assert_close(m_out, k_out)
    assert_close(loop_output(m, x), k_out)


@pytest.mark.parametrize("zero_output", [False, True])
def test_masked_matches_keras(zero_output):
    k, m = layer_pair(
        "SimpleRNN", 3, return_sequences=True, zero_output_for_mask=zero_output
    )
    x = random_input((3, 4, 2), seed=1)
    mask = right_padded([4, 2, 3], 4)
    k_out, m_out = call_both(k, m, x, mask=mask)
    assert_close(m_out, k_out)
    assert_close(loop_output(m, x, mask=mask), k_out)


def test_config_matches_keras_and_round_trips():
    k, m = layer_pair(
        "SimpleRNN",
        2,
        activation="relu",
        use_bias=False,
        recurrent_initializer="zeros",
        stateful=True,
    )
    assert config_without_name(m) == config_without_name(k)
    config = json.loads(json.dumps(m.get_config()))
    assert SimpleRNN.from_config(config).get_config() == config
    assert config_without_name(
        keras.layers.SimpleRNN.from_config(config)
    ) == config_without_name(m)


def test_recurrent_dropout_shapes_and_inference():
    layer = SimpleRNN(
        3, dropout=0.5, recurrent_dropout=0.5, seed=0, return_sequences=True
    )
    x = torch.from_numpy(random_input((2, 4, 3), seed=2))
    plain = layer(x)
    assert torch.equal(layer(x, training=False), plain)
    trained = layer(x, training=True)
    assert trained.shape == (2, 4, 3) and not torch.allclose(trained, plain)
