"""Lamb against Keras 3."""

import inspect

import pytest

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity


def _params(cls):
    return [
        (p.name, p.kind, p.default)
        for p in inspect.signature(cls).parameters.values()
    ]


CONFIGS = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
    {"learning_rate": 0.02, "weight_decay": 0.1, "clipnorm": 1.0},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("Lamb", config, steps=6)


def test_schedule_matches_keras():
    check_parity("Lamb", {}, schedule=("ExponentialDecay", (0.1, 2, 0.5), {}))


def test_config_and_signature_match_keras():
    config = {"learning_rate": 0.01, "beta_2": 0.9, "name": "l"}
    assert (
        lamina.optimizers.Lamb(**config).get_config()
        == keras.optimizers.Lamb(**config).get_config()
    )
    assert _params(lamina.optimizers.Lamb) == _params(keras.optimizers.Lamb)
    assert lamina.optimizers.get("lamb").__class__ is lamina.optimizers.Lamb


def test_unknown_argument_is_refused():
    with pytest.raises(ValueError, match="beta_3"):
        lamina.optimizers.Lamb(beta_3=0.5)
