import json
import warnings

import numpy as np
import pytest
import torch

import lamina
from lamina.errors import LaminaWarning
from lamina.layers.recurrent.rnn import RNN
from tests.keras_oracle import keras, to_numpy
from tests.layers.recurrent.helpers import KernelSpy
from tests.layers.recurrent.helpers import assert_close
from tests.layers.recurrent.helpers import call_both
from tests.layers.recurrent.helpers import config_without_name
from tests.layers.recurrent.helpers import random_input
from tests.layers.recurrent.helpers import right_padded


def minimal_cell_class(lib):
    """Keras's documented example cell, written for `lib`."""

    class MinimalRNNCell(lib.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(
                shape=(input_shape[-1], self.units), name="kernel"
            )
            self.recurrent_kernel = self.add_weight(
                shape=(self.units, self.units), name="recurrent_kernel"
            )

        def call(self, inputs, states):
            h = lib.ops.tanh(
                lib.ops.matmul(inputs, self.kernel)
                + lib.ops.matmul(states[0], self.recurrent_kernel)
            )
            return h, [h]

    return MinimalRNNCell


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(return_sequences=True, return_state=True),
        dict(go_backwards=True, return_sequences=True),
        dict(return_sequences=True, unroll=True),
    ],
)
def test_custom_cell_matches_keras(kwargs):
    k = keras.layers.RNN(minimal_cell_class(keras)(4), **kwargs)
    m = RNN(minimal_cell_class(lamina)(4), **kwargs)
    x = random_input((2, 5, 3))
    k_out, m_out = call_both(k, m, x)
    assert_close(m_out, k_out)
    mask = right_padded([5, 2], 5)
    k_out, m_out = call_both(k, m, x, mask=mask)
    assert_close(m_out, k_out)


def test_custom_cell_symbolic_and_in_a_model():
    outs = {}
    for lib in (keras, lamina):
        x = lib.Input((None, 3))
        y = lib.layers.RNN(
            minimal_cell_class(lib)(4), return_sequences=True, return_state=True
        )(x)
        outs[lib] = [tuple(t.shape) for t in y]
    assert outs[lamina] == outs[keras]


@pytest.mark.parametrize("cell", ["LSTMCell", "GRUCell", "SimpleRNNCell"])
def test_builtin_cell_in_rnn_matches_keras_and_runs_fused(monkeypatch, cell):
    k = keras.layers.RNN(getattr(keras.layers, cell)(3), return_state=True)
    m = RNN(getattr(lamina.layers, cell)(3), return_state=True)
    x = random_input((2, 4, 2), seed=1)
    spy = KernelSpy(monkeypatch)
    k_out, m_out = call_both(k, m, x)
    assert spy.calls
    assert_close(m_out, k_out)
    assert [w.shape for w in m.get_weights()] == [
        tuple(w.shape) for w in k.weights
    ]


def test_config_matches_keras_and_round_trips():
    kwargs = dict(
        return_sequences=True, go_backwards=True, zero_output_for_mask=True
    )
    k = keras.layers.RNN(keras.layers.GRUCell(3, reset_after=False), **kwargs)
    m = RNN(lamina.layers.GRUCell(3, reset_after=False), **kwargs)
    k_config, m_config = config_without_name(k), config_without_name(m)
    k_config["cell"]["config"].pop("name")
    m_config["cell"]["config"].pop("name")
    assert m_config == k_config
    config = json.loads(json.dumps(m.get_config()))
    assert RNN.from_config(config).get_config() == config
    keras.layers.RNN.from_config(config)


class AccumulateCell:
    """A cell that is not a Layer: a running sum of the inputs."""

    state_size = 2

    def call(self, inputs, states):
        total = states[0] + inputs
        return total, [total]


def test_plain_object_cell():
    x = torch.from_numpy(random_input((2, 4, 2), seed=2))
    out = RNN(AccumulateCell(), return_sequences=True)(x)
    assert torch.allclose(out, x.cumsum(dim=1))


class ConstantCell(lamina.layers.Layer):
    """`h' = tanh(x @ W + h @ U + constants[0] @ V)`."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units, self.state_size = units, units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units))
        self.u = self.add_weight(shape=(self.units, self.units))
        self.v = self.add_weight(shape=(2, self.units))

    def call(self, inputs, states, constants):
        h = torch.tanh(
            inputs @ self.w + states[0] @ self.u + constants[0] @ self.v
        )
        return h, [h]


def _constant_reference(cell, x, c):
    w, u, v = (p.detach().numpy() for p in (cell.w, cell.u, cell.v))
    h = np.zeros((x.shape[0], cell.units), "float32")
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ w + h @ u + c @ v)
    return h


def test_constants_reach_the_cell_at_every_step():
    x, c = random_input((2, 4, 3), seed=3), random_input((2, 2), seed=4)
    cell = ConstantCell(5)
    layer = RNN(cell)
    out = layer(torch.from_numpy(x), constants=[torch.from_numpy(c)])
    assert_close(out, _constant_reference(cell, x, c))
    # A single tensor works too, and also symbolically in a model.
    seq, const = lamina.Input((None, 3)), lamina.Input((2,))
    model = lamina.Model([seq, const], layer(seq, constants=const))
    assert model.output_shape == (None, 5)
    assert_close(
        model([torch.from_numpy(x), torch.from_numpy(c)]),
        _constant_reference(cell, x, c),
    )


def test_constants_in_a_stack():
    x, c = random_input((2, 3, 3), seed=5), random_input((2, 2), seed=6)
    cell = ConstantCell(4)
    layer = RNN([cell, lamina.layers.SimpleRNNCell(2)])
    out = layer(torch.from_numpy(x), constants=[torch.from_numpy(c)])
    assert out.shape == (2, 2)
    with pytest.raises(ValueError, match=r"does not take a `constants`"):
        RNN(lamina.layers.LSTMCell(2))(torch.from_numpy(x), constants=[c])


class InitialStateCell(AccumulateCell):
    def get_initial_state(self, batch_size=None):
        return [torch.full((batch_size, 2), 10.0)]


def test_cell_initial_state_is_used():
    x = torch.zeros(3, 2, 2)
    assert torch.equal(RNN(InitialStateCell())(x), torch.full((3, 2), 10.0))


def test_bad_cells_and_arguments():
    with pytest.raises(
        ValueError,
        match=r"'rnn.*' \(RNN\): an RNN cell must "
        r"have a `state_size`.*Received: "
        r"cell=",
    ):
        RNN(lamina.layers.Dense(3))
    with pytest.raises(
        ValueError,
        match=r"must have a `call\(inputs, "
        r"states\)` method",
    ):
        RNN(object())
    layer = RNN(lamina.layers.SimpleRNNCell(2))
    x = torch.zeros(2, 3, 4)
    with pytest.raises(
        ValueError,
        match=r"expects a mask of shape .*\(2, "
        r"3\).*Received: mask.shape=\(2, 4\)",
    ):
        layer(x, mask=torch.ones(2, 4, dtype=torch.bool))
    with pytest.raises(
        ValueError,
        match=r"needs at least one timestep.*"
        r"\(2, 0, 4\)",
    ):
        layer(torch.zeros(2, 0, 4))
    with pytest.raises(
        ValueError,
        match=r"expected min_ndim=3, found "
        r"ndim=2",
    ):
        layer(torch.zeros(2, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LaminaWarning)
        with pytest.raises(
            ValueError,
            match=r"cannot unroll an undefined "
            r"number of timesteps",
        ):
            RNN(lamina.layers.SimpleRNNCell(2), unroll=True)(
                lamina.Input((None, 3))
            )


def test_weights_follow_keras_order_and_count():
    k = keras.layers.RNN([keras.layers.LSTMCell(2), keras.layers.GRUCell(3)])
    m = RNN([lamina.layers.LSTMCell(2), lamina.layers.GRUCell(3)])
    x = random_input((2, 3, 4), seed=7)
    k_out, m_out = call_both(k, m, x)
    assert_close(m_out, k_out)
    assert [w.shape for w in m.get_weights()] == [
        tuple(w.shape) for w in k.weights
    ]
    assert m.count_params() == k.count_params()
    assert to_numpy(m_out).shape == (2, 3)
