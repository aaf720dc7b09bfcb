import pytest

from lamina.layers.convolutional.conv2d import Conv2D
from tests.layers.convolutional.conv_parity import conv_parity

CASES = [
    ({"filters": 4, "kernel_size": 3}, (2, 7, 8, 3)),
    ({"filters": 3, "kernel_size": 4, "padding": "same"}, (2, 6, 5, 2)),
    (
        {"filters": 4, "kernel_size": (2, 3), "strides": 2, "padding": "same"},
        (2, 8, 7, 3),
    ),
    (
        {"filters": 2, "kernel_size": 2, "strides": (3, 2), "padding": "same"},
        (2, 7, 9, 2),
    ),
    (
        {
            "filters": 3,
            "kernel_size": 3,
            "strides": (1, 2),
            "data_format": "channels_first",
        },
        (2, 3, 7, 8),
    ),
    (
        {
            "filters": 5,
            "kernel_size": 3,
            "dilation_rate": (2, 1),
            "padding": "same",
            "activation": "relu",
        },
        (2, 9, 6, 2),
    ),
    (
        {
            "filters": 6,
            "kernel_size": 2,
            "groups": 3,
            "padding": "same",
            "use_bias": False,
        },
        (2, 5, 6, 6),
    ),
    (
        {
            "filters": 4,
            "kernel_size": (3, 2),
            "groups": 2,
            "strides": 2,
            "padding": "same",
            "data_format": "channels_first",
        },
        (2, 4, 7, 6),
    ),
    (
        {
            "filters": 2,
            "kernel_size": 3,
            "dilation_rate": 2,
            "data_format": "channels_first",
            "activation": "tanh",
        },
        (1, 2, 8, 9),
    ),
]


@pytest.mark.parametrize("kwargs,input_shape", CASES)
def test_parity(kwargs, input_shape):
    channels_last = kwargs.get("data_format") != "channels_first"
    unknown = (
        (None, None, input_shape[-1])
        if channels_last
        else (input_shape[1], None, None)
    )
    conv_parity("Conv2D", Conv2D, kwargs, input_shape, symbolic=[unknown])
