"""`model.is_graph_network` and the graph behaviour behind it
(`lamina/models/network.py`)."""

import pytest
import torch

import lamina
from lamina.models import network


class _Subclassed(lamina.Model):
    def __init__(self):
        super().__init__()
        self.dense = lamina.layers.Dense(2)

    def call(self, inputs):
        return self.dense(inputs)


def test_functional_model_is_a_graph_network():
    x = lamina.Input((3,))
    dense = lamina.layers.Dense(2)
    model = lamina.Model(x, dense(x))
    assert model.is_graph_network
    assert isinstance(model._network, network.GraphNetwork)
    assert model.layers[1] is dense
    assert model.inputs == [x]
    assert model.get_config()["input_layers"]


def test_sequential_becomes_a_graph_network_once_its_shape_is_known():
    model = lamina.Sequential([lamina.layers.Dense(2)])
    assert not model.is_graph_network
    assert model.inputs is None
    model(torch.ones(4, 3))
    assert model.is_graph_network
    assert tuple(model.inputs[0].shape) == (None, 3)
    model.pop()
    assert not model.is_graph_network


def test_subclassed_model_is_not_a_graph_network():
    model = _Subclassed()
    assert not model.is_graph_network
    assert model._network is network.SUBCLASSED
    assert model.inputs is None and model.outputs is None
    assert model.layers == [model.dense]
    assert model(torch.ones(1, 3)).shape == (1, 2)


def test_model_without_call_or_graph_says_how_to_make_one():
    with pytest.raises(NotImplementedError, match="has no `call\\(\\)`"):
        lamina.Model()(torch.ones(1, 3))
