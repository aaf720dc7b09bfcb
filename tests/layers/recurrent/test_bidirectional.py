import json

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.recurrent.bidirectional import Bidirectional
from tests.keras_oracle import keras, to_numpy
from tests.layers.recurrent.helpers import assert_close
from tests.layers.recurrent.helpers import call_both
from tests.layers.recurrent.helpers import config_without_name
from tests.layers.recurrent.helpers import random_input
from tests.layers.recurrent.helpers import right_padded


def _pair(rnn="LSTM", units=3, merge_mode="concat", **kwargs):
    return (
        keras.layers.Bidirectional(
            getattr(keras.layers, rnn)(units, **kwargs), merge_mode=merge_mode
        ),
        Bidirectional(
            getattr(lamina.layers, rnn)(units, **kwargs), merge_mode=merge_mode
        ),
    )


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_merge_modes_match_keras(merge_mode, return_sequences):
    k, m = _pair(merge_mode=merge_mode, return_sequences=return_sequences)
    x = random_input((2, 5, 4))
    k_out, m_out = call_both(k, m, x)
    assert_close(m_out, k_out)


@pytest.mark.parametrize(
    "rnn,merge_mode", [("LSTM", "concat"), ("GRU", None), ("SimpleRNN", "sum")]
)
def test_return_state_and_mask_match_keras(rnn, merge_mode):
    k, m = _pair(
        rnn, merge_mode=merge_mode, return_sequences=True, return_state=True
    )
    x = random_input((3, 5, 2), seed=1)
    k_out, m_out = call_both(k, m, x)
    assert_close(m_out, k_out)
    mask = right_padded([5, 2, 3], 5)
    k_out, m_out = call_both(k, m, x, mask=mask)
    assert_close(m_out, k_out)
    outputs = 2 if merge_mode is None else 1
    for out in m_out[:outputs]:
        np.testing.assert_array_equal(to_numpy(out._keras_mask), mask)
    assert all(getattr(s, "_keras_mask", None) is None for s in m_out[outputs:])


def test_initial_state_and_backward_layer():
    k = keras.layers.Bidirectional(
        keras.layers.GRU(3, return_sequences=True),
        backward_layer=keras.layers.GRU(
            3, activation="relu", return_sequences=True, go_backwards=True
        ),
    )
    m = Bidirectional(
        lamina.layers.GRU(3, return_sequences=True),
        backward_layer=lamina.layers.GRU(
            3, activation="relu", return_sequences=True, go_backwards=True
        ),
    )
    x = random_input((2, 4, 2), seed=2)
    states = [random_input((2, 3), 3), random_input((2, 3), 4)]
    k_out, m_out = call_both(k, m, x, initial_state=states)
    assert_close(m_out, k_out)
    assert m.backward_layer.activation is lamina.activations.relu


def test_symbolic_mask_from_embedding():
    outs = {}
    for lib in (keras, lamina):
        x = lib.Input((6,), dtype="int32")
        e = lib.layers.Embedding(10, 4, mask_zero=True)(x)
        y = lib.layers.Bidirectional(lib.layers.LSTM(3, return_sequences=True))(
            e
        )
        outs[lib] = (tuple(y.shape), tuple(y._keras_mask.shape))
    assert outs[lamina] == outs[keras] == ((None, 6, 6), (None, 6))


def test_weights_config_and_round_trip():
    k, m = _pair("LSTM", merge_mode="ave", return_sequences=True)
    call_both(k, m, random_input((2, 3, 2)))
    assert [w.shape for w in m.get_weights()] == [
        tuple(w.shape) for w in k.weights
    ]
    assert m.forward_layer.name.startswith("forward_lstm")
    assert m.backward_layer.name.startswith("backward_lstm")
    k_config, m_config = config_without_name(k), config_without_name(m)
    for config in (k_config, m_config):
        for key in ("layer", "backward_layer"):
            config[key]["config"].pop("name")
            config[key].pop("build_config", None)
    assert m_config == k_config
    config = json.loads(json.dumps(m.get_config()))
    again = Bidirectional.from_config(config)
    assert again.merge_mode == "ave"
    assert again.backward_layer.go_backwards
    keras.layers.Bidirectional.from_config(config)


def test_initial_weights_argument():
    source = Bidirectional(lamina.layers.GRU(2))
    x = torch.from_numpy(random_input((2, 3, 2)))
    expected = source(x)
    layer = Bidirectional(lamina.layers.GRU(2), weights=source.get_weights())
    assert torch.allclose(layer(x), expected)


def test_stateful_reset():
    layer = Bidirectional(lamina.layers.LSTM(2, stateful=True))
    x = torch.from_numpy(random_input((2, 3, 2)))
    first = layer(x)
    assert len(layer.states) == 4
    assert not torch.allclose(layer(x), first)
    layer.reset_states()
    assert torch.allclose(layer(x), first)
    with pytest.raises(AttributeError, match=r"is not stateful"):
        Bidirectional(lamina.layers.LSTM(2)).reset_state()


def test_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"\(Bidirectional\) wraps a "
        r"recurrent layer.*Received: "
        r"layer=Dense",
    ):
        Bidirectional(lamina.layers.Dense(3))
    with pytest.raises(
        ValueError,
        match=r"invalid merge mode.*Received: "
        r"merge_mode='max'",
    ):
        Bidirectional(lamina.layers.GRU(3), merge_mode="max")
    with pytest.raises(ValueError, match=r"must differ in `go_backwards`"):
        Bidirectional(lamina.layers.GRU(3), backward_layer=lamina.layers.GRU(3))
    with pytest.raises(
        ValueError,
        match=r"same `return_sequences`.*"
        r"Received: False \(forward\)",
    ):
        Bidirectional(
            lamina.layers.GRU(3),
            backward_layer=lamina.layers.GRU(
                3, go_backwards=True, return_sequences=True
            ),
        )
    with pytest.raises(
        ValueError,
        match=r"even number of states.*"
        r"Received: 3",
    ):
        Bidirectional(lamina.layers.GRU(3))(
            torch.zeros(2, 3, 2), initial_state=[torch.zeros(2, 3)] * 3
        )
