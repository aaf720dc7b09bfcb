import pytest

from lamina.layers.convolutional.conv3d import Conv3D
from tests.layers.convolutional.conv_parity import conv_parity

CASES = [
    ({"filters": 3, "kernel_size": 2}, (2, 4, 5, 3, 2)),
    (
        {
            "filters": 2,
            "kernel_size": (2, 3, 2),
            "strides": (2, 1, 2),
            "padding": "same",
        },
        (1, 5, 4, 5, 3),
    ),
    (
        {
            "filters": 4,
            "kernel_size": 3,
            "padding": "same",
            "groups": 2,
            "data_format": "channels_first",
            "activation": "relu",
        },
        (2, 2, 4, 3, 5),
    ),
    (
        {
            "filters": 2,
            "kernel_size": 2,
            "dilation_rate": (1, 2, 1),
            "data_format": "channels_first",
            "use_bias": False,
        },
        (1, 3, 3, 5, 4),
    ),
]


@pytest.mark.parametrize("kwargs,input_shape", CASES)
def test_parity(kwargs, input_shape):
    channels_last = kwargs.get("data_format") != "channels_first"
    unknown = (
        (None, 4, None, input_shape[-1])
        if channels_last
        else (input_shape[1], None, None, 5)
    )
    conv_parity("Conv3D", Conv3D, kwargs, input_shape, symbolic=[unknown])
