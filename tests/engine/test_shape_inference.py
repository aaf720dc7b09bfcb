"""Symbolic calls: shapes from meta-device traces, never real arithmetic."""

import pytest
import torch

import lamina
from tests.keras_oracle import keras


def test_unknown_dims_stay_unknown():
    x = lamina.Input((None, 4))
    y = lamina.layers.Dense(3)(x)
    assert y.shape == (None, None, 3)


def test_symbolic_trace_does_not_touch_weights():
    layer = lamina.layers.Dense(3)
    x = lamina.Input((4,))
    layer(x)
    before = [w.clone() for w in layer.weights]
    layer(x)
    assert all(torch.equal(a, b) for a, b in zip(before, layer.weights))
    assert all(w.device.type == "cpu" for w in layer.weights)


def test_ops_on_symbolic_tensors_become_nodes():
    x = lamina.Input((4,))
    y = lamina.ops.relu(x) + 1.0
    model = lamina.Model(x, y)
    out = model(torch.tensor([[-1.0, 0.0, 2.0, 3.0]]))
    assert out.tolist() == [[1.0, 1.0, 3.0, 4.0]]


def test_symbolic_tensor_cannot_be_bool():
    x = lamina.Input((2,))
    with pytest.raises(TypeError, match="Python bool"):
        bool(x)


def test_lazy_sublayers_are_built_during_trace():
    class Block(lamina.layers.Layer):
        def __init__(self):
            super().__init__()
            self.a = lamina.layers.Dense(5)
            self.b = lamina.layers.Dense(2)

        def call(self, x):
            return self.b(self.a(x))

    x = lamina.Input((3,))
    y = Block()(x)
    assert y.shape == (None, 2)
    model = lamina.Model(x, y)
    assert model.count_params() == 3 * 5 + 5 + 5 * 2 + 2
    assert model(torch.ones(2, 3)).shape == (2, 2)


@pytest.mark.parametrize("strides", [7, 10, 64])
def test_large_strides_keep_unknown_lengths_unknown(strides):
    ours = lamina.layers.Conv1D(2, 1, strides=strides)(lamina.Input((None, 2)))
    theirs = keras.layers.Conv1D(2, 1, strides=strides)(keras.Input((None, 2)))
    assert tuple(ours.shape) == tuple(theirs.shape) == (None, None, 2)
