"""AdamW against Keras 3."""

import pytest

import lamina
from tests.keras_oracle import keras
from tests.optimizers.parity import check_parity

CONFIGS = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "weight_decay": 0.3, "amsgrad": True},
    {"learning_rate": 0.05, "weight_decay": 0.0},
]


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("config", CONFIGS)
def test_matches_keras(config, fused):
    check_parity("AdamW", config, fused=fused)


def test_rejects_missing_weight_decay():
    with pytest.raises(ValueError):
        keras.optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="weight_decay"):
        lamina.optimizers.AdamW(weight_decay=None)


def test_config_matches_keras():
    config = {"learning_rate": 0.01, "weight_decay": 0.1, "name": "w"}
    assert (
        lamina.optimizers.AdamW(**config).get_config()
        == keras.optimizers.AdamW(**config).get_config()
    )
