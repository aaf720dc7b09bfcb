import pytest
import torch

from lamina.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from tests.layers.convolutional.conv_parity import conv_parity

CASES = [
    ({"kernel_size": 3}, (2, 6, 7, 3)),
    (
        {"kernel_size": (2, 3), "depth_multiplier": 3, "padding": "same"},
        (2, 5, 6, 2),
    ),
    (
        {
            "kernel_size": 2,
            "strides": 2,
            "padding": "same",
            "activation": "relu",
        },
        (2, 7, 6, 4),
    ),
    (
        {
            "kernel_size": 3,
            "depth_multiplier": 2,
            "dilation_rate": 2,
            "data_format": "channels_first",
            "use_bias": False,
        },
        (1, 3, 8, 7),
    ),
    (
        {
            "kernel_size": 3,
            "strides": (2, 1),
            "dilation_rate": 2,
            "padding": "same",
            "depth_multiplier": 2,
        },
        (1, 9, 8, 2),
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
    conv_parity(
        "DepthwiseConv2D",
        DepthwiseConv2D,
        kwargs,
        input_shape,
        symbolic=[unknown],
    )


def test_channels_do_not_mix():
    layer = DepthwiseConv2D(3, depth_multiplier=2, padding="same")
    x = torch.zeros(1, 5, 5, 3)
    x[..., 1] = torch.randn(5, 5)
    y = layer(x)
    # Output channels 2 and 3 come from input channel 1; the others see 0.
    assert torch.count_nonzero(y[..., [0, 1, 4, 5]]) == 0
    assert torch.count_nonzero(y[..., 2:4]) > 0


@pytest.mark.parametrize("value", [0, -1, 1.5])
def test_bad_depth_multiplier(value):
    with pytest.raises(
        ValueError,
        match=r"`depth_multiplier` of "
        r"DepthwiseConv2D.*Received: depth_multiplier=",
    ):
        DepthwiseConv2D(3, depth_multiplier=value)


def test_kernel_larger_than_input():
    with pytest.raises(
        ValueError,
        match=r"DepthwiseConv2D.*input_shape="
        r"\(1, 2, 5, 3\)",
    ):
        DepthwiseConv2D(3)(torch.zeros(1, 2, 5, 3))
