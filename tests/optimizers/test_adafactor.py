"""Adafactor against Keras 3 (factored kernel, unfactored bias)."""

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
    {"learning_rate": 0.5, "relative_step": False, "clip_threshold": 0.5},
    {
        "learning_rate": 0.05,
        "beta_2_decay": -0.5,
        "epsilon_2": 0.01,
        "weight_decay": 0.1,
    },
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("Adafactor", config, steps=6)


def test_schedule_matches_keras():
    check_parity(
        "Adafactor", {}, schedule=("ExponentialDecay", (0.5, 2, 0.5), {})
    )


def test_config_and_signature_match_keras():
    config = {"learning_rate": 0.01, "epsilon_1": 1e-20, "name": "a"}
    assert (
        lamina.optimizers.Adafactor(**config).get_config()
        == keras.optimizers.Adafactor(**config).get_config()
    )
    assert _params(lamina.optimizers.Adafactor) == _params(
        keras.optimizers.Adafactor
    )
