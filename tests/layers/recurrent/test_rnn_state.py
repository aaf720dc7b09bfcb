import numpy as np
import pytest
import torch

import lamina
from lamina.layers.recurrent.gru import GRU
from lamina.layers.recurrent.lstm import LSTM
from tests.keras_oracle import keras
from tests.layers.recurrent.helpers import assert_close
from tests.layers.recurrent.helpers import random_input


def _stateful_pair(name="LSTM", **kwargs):
    k = getattr(keras.layers, name)(3, stateful=True, **kwargs)
    m = getattr(lamina.layers, name)(3, stateful=True, **kwargs)
    x = torch.from_numpy(random_input((2, 4, 2)))
    k(x)
    m(x)
    m.set_weights(k.get_weights())
    k.reset_state()
    m.reset_state()
    return k, m


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_state_carries_across_batches_like_keras(name):
    k, m = _stateful_pair(name, return_sequences=True)
    for seed in (1, 2, 3):
        x = torch.from_numpy(random_input((2, 4, 2), seed))
        assert_close(m(x), k(x))
        assert_close(list(m.states), list(k.states))
    k.reset_state()
    m.reset_state()
    assert all(not s.any() for s in m.states)
    x = torch.from_numpy(random_input((2, 4, 2), 4))
    assert_close(m(x), k(x))


def test_reset_state_with_values():
    k, m = _stateful_pair()
    values = [random_input((2, 3), 5), random_input((2, 3), 6)]
    m.reset_states(values)  # Keras 3 has no `states` argument: assign
    for variable, value in zip(k.states, values):
        variable.assign(value)
    x = torch.from_numpy(random_input((2, 4, 2), 7))
    assert_close(m(x), k(x))
    assert_close(list(m.states), list(k.states))


def test_stateful_functional_model_with_fixed_batch():
    def model(lib):
        x = lib.Input((4, 2), batch_size=2)
        return lib.Model(x, lib.layers.GRU(3, stateful=True)(x))

    k_model, m_model = model(keras), model(lamina)
    m_model.set_weights(k_model.get_weights())
    for seed in (1, 2):
        x = torch.from_numpy(random_input((2, 4, 2), seed))
        assert_close(m_model(x), k_model(x))


def test_states_are_not_weights_and_stop_gradients():
    layer = LSTM(3, stateful=True)
    x = torch.from_numpy(random_input((2, 4, 2)))
    layer(x).sum().backward()
    assert len(layer.weights) == 3
    assert sorted(layer.state_dict()) == [
        "cell.bias",
        "cell.kernel",
        "cell.recurrent_kernel",
    ]
    layer(x).sum().backward()  # no "backward through the graph a second time"
    assert all(not s.requires_grad for s in layer.states)


def test_stateful_errors():
    with pytest.raises(
        ValueError,
        match=r"'gru.*' \(GRU\): a stateful RNN "
        r"needs a fixed batch size.*"
        r"Received: batch size None",
    ):
        lamina.Sequential([lamina.Input((4, 2)), GRU(3, stateful=True)])
    layer = GRU(3, stateful=True)
    layer(torch.zeros(2, 4, 2))
    with pytest.raises(
        ValueError,
        match=r"stateful with batch size 2.*"
        r"Received: batch size 3",
    ):
        layer(torch.zeros(3, 4, 2))
    with pytest.raises(
        ValueError,
        match=r"has 1 state\(s\), but "
        r"reset_state received 2",
    ):
        layer.reset_state([np.zeros((2, 3)), np.zeros((2, 3))])
    with pytest.raises(
        ValueError,
        match=r"state 0 has shape \(2, 3\)\. "
        r"Received: a value of shape "
        r"\(3, 3\)",
    ):
        layer.reset_state([np.zeros((3, 3))])
    with pytest.raises(
        ValueError,
        match=r"is not stateful.*Received: "
        r"states=\['\(2, 3\)'\]",
    ):
        GRU(3).reset_state([np.zeros((2, 3))])
    GRU(3).reset_states()  # nothing to reset: a no-op, as in Keras
