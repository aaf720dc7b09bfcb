import pytest
import torch

from lamina.layers.convolutional.conv1d import Conv1D
from tests.keras_oracle import keras
from tests.layers.convolutional.conv_parity import conv_parity

CASES = [
    ({"filters": 4, "kernel_size": 3}, (2, 9, 3)),
    ({"filters": 3, "kernel_size": 4, "padding": "same"}, (2, 7, 2)),
    (
        {"filters": 3, "kernel_size": 2, "strides": 3, "padding": "same"},
        (2, 10, 2),
    ),
    ({"filters": 2, "kernel_size": 3, "padding": "causal"}, (2, 6, 3)),
    (
        {
            "filters": 4,
            "kernel_size": 2,
            "padding": "causal",
            "dilation_rate": 3,
            "data_format": "channels_first",
        },
        (2, 3, 8),
    ),
    (
        {
            "filters": 6,
            "kernel_size": 3,
            "groups": 2,
            "strides": 2,
            "activation": "relu",
        },
        (2, 11, 4),
    ),
    (
        {
            "filters": 4,
            "kernel_size": 5,
            "dilation_rate": 2,
            "padding": "same",
            "groups": 4,
            "data_format": "channels_first",
            "use_bias": False,
        },
        (1, 4, 9),
    ),
]


@pytest.mark.parametrize("kwargs,input_shape", CASES)
def test_parity(kwargs, input_shape):
    channels_last = kwargs.get("data_format") != "channels_first"
    unknown = (
        (None, input_shape[-1]) if channels_last else (input_shape[1], None)
    )
    conv_parity("Conv1D", Conv1D, kwargs, input_shape, symbolic=[unknown])


def test_causal_output_ignores_the_future():
    layer = Conv1D(2, 3, padding="causal")
    x = torch.randn(1, 8, 2)
    y = layer(x)
    x2 = x.clone()
    x2[:, 5:] = 100.0
    torch.testing.assert_close(layer(x2)[:, :5], y[:, :5])


def test_causal_padding_config_is_keras_readable():
    config = Conv1D(2, 3, padding="causal").get_config()
    assert keras.layers.Conv1D.from_config(config).padding == "causal"
