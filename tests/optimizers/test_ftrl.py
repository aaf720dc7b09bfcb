"""Ftrl against Keras 3."""

import pytest

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity

CONFIGS = [
    {"learning_rate": 0.1},
    {
        "learning_rate": 0.5,
        "l1_regularization_strength": 0.01,
        "l2_regularization_strength": 0.1,
    },
    {
        "learning_rate": 0.3,
        "learning_rate_power": -0.3,
        "beta": 0.2,
        "l2_shrinkage_regularization_strength": 0.05,
        "initial_accumulator_value": 0.5,
    },
    {"learning_rate": 0.3, "learning_rate_power": 0.0},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("Ftrl", config)


@pytest.mark.parametrize(
    "arg, value",
    [
        ("learning_rate_power", 0.5),
        ("initial_accumulator_value", -0.1),
        ("l1_regularization_strength", -1.0),
        ("l2_regularization_strength", -1.0),
        ("l2_shrinkage_regularization_strength", -1.0),
    ],
)
def test_rejects_bad_arguments(arg, value):
    with pytest.raises(ValueError):
        keras.optimizers.Ftrl(**{arg: value})
    with pytest.raises(ValueError, match=arg):
        lamina.optimizers.Ftrl(**{arg: value})


def test_config_matches_keras():
    config = {
        "learning_rate": 0.01,
        "beta": 0.1,
        "name": "f",
        "l1_regularization_strength": 0.2,
    }
    assert (
        lamina.optimizers.Ftrl(**config).get_config()
        == keras.optimizers.Ftrl(**config).get_config()
    )
