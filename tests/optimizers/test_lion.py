"""Lion against Keras 3."""

import pytest

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity

CONFIGS = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "weight_decay": 0.5},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("Lion", config)


@pytest.mark.parametrize("beta_1", [0.0, -0.5, 1.5])
def test_rejects_bad_beta_1(beta_1):
    with pytest.raises(ValueError):
        keras.optimizers.Lion(beta_1=beta_1)
    with pytest.raises(ValueError, match="beta_1"):
        lamina.optimizers.Lion(beta_1=beta_1)


def test_config_matches_keras():
    config = {"learning_rate": 0.01, "beta_2": 0.9, "name": "l"}
    assert (
        lamina.optimizers.Lion(**config).get_config()
        == keras.optimizers.Lion(**config).get_config()
    )
