"""Nadam against Keras 3."""

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
    check_parity("Nadam", config, steps=6)


def test_momentum_product_is_a_saved_variable():
    kopt, lopt, _, _ = check_parity("Nadam", {"learning_rate": 0.1})
    assert lopt.variable_names[-1] == "variable"
    assert lopt.variables[-1].shape == ()


def test_config_matches_keras():
    config = {"learning_rate": 0.01, "beta_1": 0.8, "name": "n"}
    assert (
        lamina.optimizers.Nadam(**config).get_config()
        == keras.optimizers.Nadam(**config).get_config()
    )
