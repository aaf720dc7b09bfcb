"""The `Wrapper` base against Keras 3: signature, config, errors, and the
wrappers built on it."""

import inspect

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras


class Doubled(lamina.layers.Wrapper):
    def call(self, inputs):
        return 2 * self.layer(inputs)


def test_signature_matches_keras():
    def params(cls):
        return [
            (p.name, p.kind, p.default)
            for p in inspect.signature(cls).parameters.values()
        ]

    assert params(lamina.layers.Wrapper) == params(keras.layers.Wrapper)


def test_builds_the_wrapped_layer_and_owns_its_weights():
    layer = Doubled(lamina.layers.Dense(3))
    out = layer(torch.ones(2, 4))
    assert layer.layer.built
    assert [tuple(w.shape) for w in layer.get_weights()] == [(4, 3), (3,)]
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(
        out.detach().numpy(), 2 * (np.ones((2, 4)) @ kernel + bias), rtol=1e-6
    )


def test_config_holds_the_serialized_layer_as_keras_writes_it():
    ours = lamina.layers.TimeDistributed(lamina.layers.Dense(2, name="d"))
    theirs = keras.layers.TimeDistributed(keras.layers.Dense(2, name="d"))
    assert ours.get_config()["layer"] == theirs.get_config()["layer"]
    again = lamina.layers.TimeDistributed.from_config(theirs.get_config())
    assert isinstance(again.layer, lamina.layers.Dense)
    assert again.layer.name == "d"


def test_wrappers_are_wrappers():
    td = lamina.layers.TimeDistributed(lamina.layers.Dense(2))
    assert isinstance(td, lamina.layers.Wrapper)
    assert isinstance(
        keras.layers.TimeDistributed(keras.layers.Dense(2)),
        keras.layers.Wrapper,
    )


def test_refuses_a_non_layer():
    with pytest.raises(
        ValueError,
        match=r"`layer` of Doubled: expected a "
        r"lamina `Layer` instance.*Received: layer=",
    ):
        Doubled(torch.nn.Linear(2, 2))
