import pytest
import torch

import lamina
from lamina.layers.convolutional.conv2d_transpose import Conv2DTranspose
from tests.keras_oracle import keras
from tests.layers.convolutional.conv_parity import conv_parity

CASES = [
    ({"filters": 4, "kernel_size": 3}, (2, 5, 4, 3)),
    (
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
        (2, 4, 5, 2),
    ),
    (
        {"filters": 3, "kernel_size": (4, 2), "strides": 2, "padding": "same"},
        (2, 3, 4, 2),
    ),
    ({"filters": 2, "kernel_size": 2, "strides": (3, 2)}, (2, 4, 3, 3)),
    (
        {
            "filters": 2,
            "kernel_size": 3,
            "strides": 2,
            "padding": "valid",
            "output_padding": 1,
        },
        (1, 3, 4, 2),
    ),
    (
        {
            "filters": 3,
            "kernel_size": (3, 4),
            "strides": (2, 3),
            "padding": "same",
            "output_padding": (1, 2),
            "data_format": "channels_first",
        },
        (2, 2, 4, 3),
    ),
    (
        {
            "filters": 2,
            "kernel_size": 3,
            "dilation_rate": (2, 1),
            "padding": "same",
            "activation": "relu",
        },
        (2, 5, 4, 2),
    ),
    (
        {
            "filters": 3,
            "kernel_size": 2,
            "dilation_rate": 2,
            "data_format": "channels_first",
            "use_bias": False,
        },
        (1, 2, 4, 5),
    ),
    (
        {
            "filters": 2,
            "kernel_size": 5,
            "strides": 2,
            "padding": "same",
            "output_padding": 0,
        },
        (1, 3, 3, 2),
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
        "Conv2DTranspose",
        Conv2DTranspose,
        kwargs,
        input_shape,
        symbolic=[unknown],
    )


def test_undoes_conv2d_shape():
    conv = lamina.layers.Conv2D(4, 3, strides=2, padding="same")
    deconv = Conv2DTranspose(3, 3, strides=2, padding="same")
    x = torch.randn(2, 8, 6, 3)
    assert deconv(conv(x)).shape == x.shape


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (
            {"output_padding": 2, "strides": 2},
            r"Conv2DTranspose.*output_padding"
            r"=\(2, 2\), strides=\(2, 2\)",
        ),
        ({"output_padding": -1, "strides": 2}, r"output_padding=-1"),
        ({"strides": 2, "dilation_rate": 2}, r"Conv2DTranspose.*strides"),
        ({"padding": "causal"}, r"Conv2DTranspose.*padding='causal'"),
        ({"kernel_size": 0}, r"kernel_size=0"),
    ],
)
def test_bad_arguments(kwargs, match):
    kwargs = {"filters": 2, "kernel_size": 3, **kwargs}
    with pytest.raises(ValueError, match=match):
        Conv2DTranspose(**kwargs)


def test_bad_inputs():
    layer = Conv2DTranspose(2, 3)
    with pytest.raises(ValueError, match=r"expected ndim=4"):
        layer(torch.zeros(1, 4, 4))
    layer(torch.zeros(1, 4, 4, 3))
    with pytest.raises(ValueError, match=r"axis -1 .* value 3"):
        layer(torch.zeros(1, 4, 4, 2))


def test_kernel_layout():
    layer = Conv2DTranspose(5, (2, 3))
    layer.build((None, 4, 4, 7))
    k_layer = keras.layers.Conv2DTranspose(5, (2, 3))
    k_layer.build((None, 4, 4, 7))
    assert tuple(layer.kernel.shape) == tuple(k_layer.kernel.shape)
    assert (
        layer.get_weights()[0].shape
        == tuple(k_layer.kernel.shape)
        == (2, 3, 5, 7)
    )
