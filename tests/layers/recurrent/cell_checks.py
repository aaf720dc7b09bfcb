"""Differential checks of one RNN cell step against the Keras cell."""

import json

import torch

import lamina
from tests.keras_oracle import keras
from tests.layers.recurrent.helpers import assert_close
from tests.layers.recurrent.helpers import config_without_name
from tests.layers.recurrent.helpers import random_input


def check_cell_step(name, state_sizes, **kwargs):
    """One step of the cell in both libraries, weights copied, with and
    without training (dropout off), plus configs both ways."""
    k = getattr(keras.layers, name)(4, **kwargs)
    m = getattr(lamina.layers, name)(4, **kwargs)
    x = torch.from_numpy(random_input((3, 5)))
    states = [
        torch.from_numpy(random_input((3, s), seed=i + 1))
        for i, s in enumerate(state_sizes)
    ]
    k_out = k(x, states)
    m(x, states)
    m.set_weights(k.get_weights())
    assert_close(m(x, states), k_out)
    assert_close(m(x, states, training=False), k_out)
    assert config_without_name(m) == config_without_name(k)
    config = json.loads(json.dumps(m.get_config()))
    assert type(m).from_config(config).get_config() == config
    assert config_without_name(
        type(k).from_config(config)
    ) == config_without_name(m)
    return k, m
