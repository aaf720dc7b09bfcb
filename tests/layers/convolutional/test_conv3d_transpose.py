import pytest

from lamina.layers.convolutional.conv3d_transpose import Conv3DTranspose
from tests.layers.convolutional.conv_parity import conv_parity

CASES = [
    ({"filters": 2, "kernel_size": 2}, (1, 3, 2, 3, 2)),
    (
        {
            "filters": 3,
            "kernel_size": (3, 2, 3),
            "strides": (2, 1, 2),
            "padding": "same",
        },
        (2, 2, 3, 3, 2),
    ),
    (
        {
            "filters": 2,
            "kernel_size": 3,
            "strides": 2,
            "output_padding": 1,
            "data_format": "channels_first",
            "activation": "relu",
        },
        (1, 2, 2, 3, 2),
    ),
    (
        {
            "filters": 2,
            "kernel_size": 2,
            "dilation_rate": (1, 2, 1),
            "padding": "same",
            "use_bias": False,
        },
        (1, 3, 3, 2, 2),
    ),
]


@pytest.mark.parametrize("kwargs,input_shape", CASES)
def test_parity(kwargs, input_shape):
    channels_last = kwargs.get("data_format") != "channels_first"
    unknown = (
        (None, 3, None, input_shape[-1])
        if channels_last
        else (input_shape[1], None, 3, None)
    )
    conv_parity(
        "Conv3DTranspose",
        Conv3DTranspose,
        kwargs,
        input_shape,
        symbolic=[unknown],
    )
