import json

import pytest
import torch

import lamina
from lamina.layers.recurrent.stacked_rnn_cells import StackedRNNCells
from tests.keras_oracle import keras
from tests.layers.recurrent.helpers import assert_close
from tests.layers.recurrent.helpers import call_both
from tests.layers.recurrent.helpers import random_input
from tests.layers.recurrent.helpers import right_padded


def _cells(lib):
    return [
        lib.layers.LSTMCell(4),
        lib.layers.GRUCell(3),
        lib.layers.SimpleRNNCell(2),
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(return_sequences=True, return_state=True),
        dict(go_backwards=True, return_state=True),
    ],
)
def test_stack_matches_keras(kwargs):
    k = keras.layers.RNN(keras.layers.StackedRNNCells(_cells(keras)), **kwargs)
    m = lamina.layers.RNN(StackedRNNCells(_cells(lamina)), **kwargs)
    x = random_input((3, 5, 2))
    k_out, m_out = call_both(k, m, x)
    assert_close(m_out, k_out)
    mask = right_padded([5, 3, 1], 5)
    k_out, m_out = call_both(k, m, x, mask=mask)
    assert_close(m_out, k_out)


def test_initial_state_nested_as_keras():
    k = keras.layers.RNN(_cells(keras), return_state=True)
    m = lamina.layers.RNN(_cells(lamina), return_state=True)
    x = random_input((2, 3, 2), seed=1)
    states = [
        [random_input((2, 4), 2), random_input((2, 4), 3)],
        [random_input((2, 3), 4)],
        [random_input((2, 2), 5)],
    ]
    k_out = k(
        torch.from_numpy(x),
        initial_state=[
            [torch.from_numpy(s) for s in group] for group in states
        ],
    )
    m(torch.from_numpy(x))
    m.set_weights(k.get_weights())
    m_out = m(
        torch.from_numpy(x),
        initial_state=[
            [torch.from_numpy(s) for s in group] for group in states
        ],
    )
    assert_close(m_out, k_out)
    assert [type(s) for s in m_out[1:]] == [list, list, list]


def test_sizes_config_and_round_trip():
    k = keras.layers.StackedRNNCells(_cells(keras))
    m = StackedRNNCells(_cells(lamina))
    assert m.state_size == k.state_size == [[4, 4], 3, 2]
    assert m.output_size == k.output_size == 2
    config = json.loads(json.dumps(m.get_config()))
    again = StackedRNNCells.from_config(config)
    assert again.get_config() == config
    k_again = keras.layers.StackedRNNCells.from_config(config)
    assert [type(c).__name__ for c in k_again.cells] == [
        "LSTMCell",
        "GRUCell",
        "SimpleRNNCell",
    ]


def test_bad_cells():
    with pytest.raises(
        ValueError,
        match=r"\(StackedRNNCells\): an RNN cell "
        r"must have a `state_size`.*"
        r"Received: cells=",
    ):
        StackedRNNCells([lamina.layers.LSTMCell(2), lamina.layers.Dense(2)])
    with pytest.raises(
        ValueError,
        match=r"non-empty list.*Received: "
        r"cells=\[\]",
    ):
        StackedRNNCells([])
