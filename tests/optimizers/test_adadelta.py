"""Adadelta against Keras 3."""

import pytest

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity

CONFIGS = [
    {"learning_rate": 1.0},
    {"learning_rate": 5.0, "rho": 0.5},
    {"learning_rate": 2.0, "epsilon": 1e-4, "weight_decay": 0.01},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("Adadelta", config)


def test_config_matches_keras():
    config = {"learning_rate": 1.0, "rho": 0.9, "name": "d"}
    assert (
        lamina.optimizers.Adadelta(**config).get_config()
        == keras.optimizers.Adadelta(**config).get_config()
    )
