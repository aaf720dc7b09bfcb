import itertools

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.convolutional.conv1d_transpose import Conv1DTranspose
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.convolutional.conv_parity import conv_parity
from tests.layers.parity import random_input

CASES = [
    ({"filters": 3, "kernel_size": 3}, (2, 5, 2)),
    (
        {"filters": 2, "kernel_size": 4, "strides": 3, "padding": "same"},
        (2, 4, 3),
    ),
    (
        {
            "filters": 2,
            "kernel_size": 3,
            "strides": 2,
            "padding": "same",
            "output_padding": 1,
            "data_format": "channels_first",
        },
        (2, 3, 5),
    ),
    (
        {
            "filters": 4,
            "kernel_size": 3,
            "dilation_rate": 3,
            "activation": "tanh",
        },
        (1, 6, 2),
    ),
]


@pytest.mark.parametrize("kwargs,input_shape", CASES)
def test_parity(kwargs, input_shape):
    channels_last = kwargs.get("data_format") != "channels_first"
    unknown = (
        (None, input_shape[-1]) if channels_last else (input_shape[1], None)
    )
    conv_parity(
        "Conv1DTranspose",
        Conv1DTranspose,
        kwargs,
        input_shape,
        symbolic=[unknown],
    )


def _geometries():
    for padding, kernel in itertools.product(("valid", "same"), range(1, 6)):
        for stride, dilation in ((1, 1), (2, 1), (3, 1), (1, 2), (1, 3)):
            for extra in [None] + list(range(stride)):
                yield padding, kernel, stride, dilation, extra


def test_every_small_geometry_matches_keras():
    # Output sizes and values for every kernel 1..5, stride 1..3,
    # dilation 1..3 and output_padding, both paddings.
    x = random_input((1, 4, 2))
    count = 0
    for padding, kernel, stride, dilation, extra in _geometries():
        kwargs = dict(
            filters=2,
            kernel_size=kernel,
            strides=stride,
            padding=padding,
            dilation_rate=dilation,
            output_padding=extra,
        )
        k = keras.layers.Conv1DTranspose(**kwargs)
        m = Conv1DTranspose(**kwargs)
        expected = to_numpy(k(x))
        m.build(x.shape)
        m.set_weights(k.get_weights())
        ours = m(torch.from_numpy(x)).detach().numpy()
        assert ours.shape == expected.shape, kwargs
        np.testing.assert_allclose(
            ours, expected, rtol=1e-5, atol=1e-6, err_msg=str(kwargs)
        )
        symbolic = m(lamina.Input((4, 2)))
        assert tuple(symbolic.shape) == (None,) + expected.shape[1:], kwargs
        count += 1
    assert count == 130
