import pytest
import torch

import lamina
from lamina.layers.convolutional.separable_conv2d import SeparableConv2D
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.convolutional.conv_parity import conv_parity

CASES = [
    ({"filters": 4, "kernel_size": 3}, (2, 6, 7, 3)),
    (
        {
            "filters": 3,
            "kernel_size": (2, 3),
            "depth_multiplier": 2,
            "padding": "same",
        },
        (2, 5, 6, 2),
    ),
    (
        {
            "filters": 5,
            "kernel_size": 3,
            "strides": 2,
            "padding": "same",
            "data_format": "channels_first",
            "activation": "relu",
        },
        (2, 3, 7, 8),
    ),
    (
        {
            "filters": 2,
            "kernel_size": 2,
            "dilation_rate": (2, 1),
            "use_bias": False,
            "depth_multiplier": 3,
        },
        (1, 6, 5, 2),
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
        "SeparableConv2D",
        SeparableConv2D,
        kwargs,
        input_shape,
        symbolic=[unknown],
    )


def test_pointwise_constraint_in_keras_layout():
    def kwargs(lib):
        return dict(
            pointwise_constraint=lib.constraints.UnitNorm(axis=2),
            depthwise_constraint=lib.constraints.MaxNorm(0.1, axis=[0, 1]),
        )

    k = keras.layers.SeparableConv2D(3, 2, depth_multiplier=2, **kwargs(keras))
    m = SeparableConv2D(3, 2, depth_multiplier=2, **kwargs(lamina))
    k.build((None, 5, 5, 2))
    m.build((None, 5, 5, 2))
    weights = [w * 3.0 for w in k.get_weights()]
    m.set_weights(weights)
    m.apply_constraints()
    for ours, w, var in zip(m.get_weights(), weights, k.weights):
        expected = (
            var.constraint(torch.from_numpy(w))
            if var.constraint is not None
            else w
        )
        torch.testing.assert_close(
            torch.from_numpy(ours), torch.as_tensor(to_numpy(expected))
        )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"filters": 0, "kernel_size": 3}, r"SeparableConv2D.*filters=0"),
        ({"filters": 2, "kernel_size": (3, 0)}, r"kernel_size=\(3, 0\)"),
        ({"filters": 2, "kernel_size": 3, "strides": -2}, r"strides=-2"),
        (
            {"filters": 2, "kernel_size": 3, "padding": "causal"},
            r"padding='causal'",
        ),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SeparableConv2D(**kwargs)


def test_channel_count_must_match():
    layer = SeparableConv2D(2, 3)
    layer(torch.zeros(1, 5, 5, 2))
    with pytest.raises(ValueError, match=r"axis -1 .* value 2"):
        layer(torch.zeros(1, 5, 5, 3))
