"""Dense against Keras 3: outputs, configs (as Keras 3.15 writes them),
round trips and symbolic shapes, over several argument combinations."""

import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.layers.parity import full_parity

CASES = [
    ({"units": 3}, (4, 5)),
    ({"units": 2, "activation": "relu", "use_bias": False}, (3, 4)),
    ({"units": 3, "activation": "relu"}, (4, 5)),
    ({"units": 3, "activation": "relu", "bias_initializer": "ones"}, (2, 3, 5)),
    (
        {
            "units": 4,
            "activation": "tanh",
            "kernel_initializer": "he_normal",
            "bias_initializer": "ones",
        },
        (2, 3, 5),
    ),
    (
        {"units": 1, "kernel_regularizer": "l2", "bias_constraint": "non_neg"},
        (2, 6),
    ),
]


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_dense_matches_keras(kwargs, shape):
    full_parity("Dense", lamina.layers.Dense, kwargs, shape)


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 5)])
def test_relu_shortcut_equals_the_activation_function(shape):
    layer = lamina.layers.Dense(3, activation="relu", bias_initializer="ones")
    x = torch.randn(shape)
    got = layer(x)
    layer.activation = lamina.activations.get("linear")
    layer._linear = True
    assert torch.equal(got, lamina.activations.relu(layer(x)))


def test_config_has_keras_quantization_key():
    assert lamina.layers.Dense(2).get_config()["quantization_config"] is None
    ours = lamina.layers.Dense(
        2,
        quantization_config=lamina.quantizers.Int4QuantizationConfig(
            block_size=64
        ),
    ).get_config()["quantization_config"]
    theirs = keras.layers.Dense(
        2,
        quantization_config=keras.quantizers.Int4QuantizationConfig(
            block_size=64
        ),
    ).get_config()["quantization_config"]
    assert ours == theirs
    again = lamina.layers.Dense.from_config(
        lamina.layers.Dense(2, quantization_config=ours).get_config()
    )
    assert again.quantization_config.block_size == 64
