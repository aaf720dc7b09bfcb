"""Adagrad against Keras 3."""

import pytest

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity

CONFIGS = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.5, "initial_accumulator_value": 1.0},
    {"learning_rate": 0.2, "initial_accumulator_value": 0.0, "epsilon": 1e-3},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("Adagrad", config)


def test_config_matches_keras():
    config = {
        "learning_rate": 0.01,
        "initial_accumulator_value": 0.3,
        "name": "a",
    }
    assert (
        lamina.optimizers.Adagrad(**config).get_config()
        == keras.optimizers.Adagrad(**config).get_config()
    )
