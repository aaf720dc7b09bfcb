"""Adamax against Keras 3."""

import pytest

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity

CONFIGS = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("Adamax", config)


def test_config_matches_keras():
    config = {"learning_rate": 0.01, "beta_2": 0.9, "name": "x"}
    assert (
        lamina.optimizers.Adamax(**config).get_config()
        == keras.optimizers.Adamax(**config).get_config()
    )
