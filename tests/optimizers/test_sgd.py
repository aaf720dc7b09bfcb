"""SGD against Keras 3."""

import pytest

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity

CONFIGS = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.05, "momentum": 0.9},
    {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True},
    {"learning_rate": 0.2, "momentum": 0.5, "weight_decay": 0.1},
    {"learning_rate": 0.1, "momentum": 0.0, "nesterov": True},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config):
    check_parity("SGD", config)


def test_no_momentum_slot_without_momentum():
    _, lopt, _, _ = check_parity("SGD", {"learning_rate": 0.1})
    assert lopt.variable_names == ["iteration", "learning_rate"]


@pytest.mark.parametrize("momentum", [1, -0.1, 1.5])
def test_rejects_bad_momentum(momentum):
    with pytest.raises(ValueError):
        keras.optimizers.SGD(momentum=momentum)
    with pytest.raises(ValueError, match="momentum"):
        lamina.optimizers.SGD(momentum=momentum)


def test_config_matches_keras():
    config = {
        "learning_rate": 0.1,
        "momentum": 0.9,
        "nesterov": True,
        "name": "sgd_test",
    }
    assert (
        lamina.optimizers.SGD(**config).get_config()
        == keras.optimizers.SGD(**config).get_config()
    )
