import pytest
import torch

from lamina.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from tests.layers.convolutional.conv_parity import conv_parity

CASES = [
    ({"kernel_size": 3}, (2, 8, 3)),
    ({"kernel_size": 4, "depth_multiplier": 2, "padding": "same"}, (2, 7, 2)),
    (
        {
            "kernel_size": 3,
            "strides": 2,
            "padding": "same",
            "data_format": "channels_first",
            "activation": "relu",
        },
        (2, 3, 10),
    ),
    (
        {
            "kernel_size": 2,
            "dilation_rate": 3,
            "depth_multiplier": 3,
            "use_bias": False,
        },
        (1, 9, 2),
    ),
]


@pytest.mark.parametrize("kwargs,input_shape", CASES)
def test_parity(kwargs, input_shape):
    channels_last = kwargs.get("data_format") != "channels_first"
    unknown = (
        (None, input_shape[-1]) if channels_last else (input_shape[1], None)
    )
    conv_parity(
        "DepthwiseConv1D",
        DepthwiseConv1D,
        kwargs,
        input_shape,
        symbolic=[unknown],
    )


def test_causal_padding_is_not_offered():
    with pytest.raises(
        ValueError,
        match=r"DepthwiseConv1D.*padding="
        r"'causal'",
    ):
        DepthwiseConv1D(3, padding="causal")


def test_wrong_rank():
    with pytest.raises(ValueError, match=r"expected ndim=3"):
        DepthwiseConv1D(3)(torch.zeros(2, 8, 3, 1))
