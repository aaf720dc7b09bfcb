import pytest
import torch

from lamina.layers.convolutional.separable_conv1d import SeparableConv1D
from tests.layers.convolutional.conv_parity import conv_parity

CASES = [
    ({"filters": 4, "kernel_size": 3}, (2, 8, 3)),
    (
        {
            "filters": 3,
            "kernel_size": 4,
            "depth_multiplier": 2,
            "padding": "same",
            "strides": 3,
        },
        (2, 10, 2),
    ),
    (
        {
            "filters": 2,
            "kernel_size": 3,
            "dilation_rate": 2,
            "data_format": "channels_first",
            "activation": "tanh",
        },
        (1, 3, 9),
    ),
]


@pytest.mark.parametrize("kwargs,input_shape", CASES)
def test_parity(kwargs, input_shape):
    channels_last = kwargs.get("data_format") != "channels_first"
    unknown = (
        (None, input_shape[-1]) if channels_last else (input_shape[1], None)
    )
    conv_parity(
        "SeparableConv1D",
        SeparableConv1D,
        kwargs,
        input_shape,
        symbolic=[unknown],
    )


def test_kernel_larger_than_input():
    with pytest.raises(
        ValueError,
        match=r"SeparableConv1D.*input_shape="
        r"\(2, 3, 2\).*kernel_size=\(4,\)",
    ):
        SeparableConv1D(2, 4)(torch.zeros(2, 3, 2))
