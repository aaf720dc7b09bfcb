"""RMSprop against Keras 3."""

import pytest

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity

CONFIGS = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.05, "momentum": 0.5},
    {"learning_rate": 0.05, "centered": True},
    {"learning_rate": 0.02, "momentum": 0.9, "centered": True, "rho": 0.7},
    {"learning_rate": 0.1, "epsilon": 1e-2, "weight_decay": 0.1},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("RMSprop", config)


def test_config_matches_keras():
    config = {
        "learning_rate": 0.01,
        "rho": 0.8,
        "momentum": 0.1,
        "centered": True,
        "name": "r",
    }
    assert (
        lamina.optimizers.RMSprop(**config).get_config()
        == keras.optimizers.RMSprop(**config).get_config()
    )
