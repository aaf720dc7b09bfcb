import pytest
import torch

from lamina.layers.pooling.average_pooling1d import AvgPool1D
from lamina.layers.pooling.average_pooling1d import AveragePooling1D
from tests.keras_oracle import keras
from tests.layers.pooling.helpers import check_keras
from tests.layers.pooling.helpers import check_reference
from tests.layers.pooling.helpers import same_is_symmetric

CASES = [
    ({"pool_size": 2}, (2, 7, 3)),
    ({"pool_size": 3, "strides": 2}, (2, 8, 2)),
    ({"pool_size": 3, "strides": 1, "padding": "same"}, (2, 6, 3)),
    ({"pool_size": 2, "padding": "same"}, (2, 7, 3)),
    ({"pool_size": 4, "strides": 1, "padding": "same"}, (1, 6, 2)),
    (
        {"pool_size": 2, "strides": 3, "data_format": "channels_first"},
        (2, 3, 8),
    ),
    (
        {
            "pool_size": 3,
            "strides": 2,
            "padding": "same",
            "data_format": "channels_first",
        },
        (2, 2, 8),
    ),
]
SYMBOLIC = {
    "channels_last": [(7, 3), (None, 3)],
    "channels_first": [(3, 8), (3, None)],
}


# Where Keras's torch backend pads `same` asymmetrically it replicates the
# edge values into the average; those cases are checked against the
# reference (real entries only, as Keras defines it) instead.
KERAS_CASES = [
    c
    for c in CASES
    if c[0].get("padding", "valid") == "valid"
    or same_is_symmetric(c[1], c[0], 1)
]


@pytest.mark.parametrize("kwargs,shape", KERAS_CASES)
def test_matches_keras(kwargs, shape):
    fmt = kwargs.get("data_format", "channels_last")
    check_keras(
        "AveragePooling1D", AveragePooling1D, kwargs, shape, SYMBOLIC[fmt]
    )


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_matches_float64_reference(kwargs, shape):
    check_reference(AveragePooling1D(**kwargs), shape)


def test_alias_and_defaults_match_keras():
    assert AvgPool1D is AveragePooling1D
    assert getattr(keras.layers, "AvgPool1D") is getattr(
        keras.layers, "AveragePooling1D"
    )
    layer = AveragePooling1D(pool_size=2)
    keras_layer = keras.layers.AveragePooling1D(pool_size=2)
    assert layer.pool_size == keras_layer.pool_size
    assert layer.strides == keras_layer.strides
    assert (layer.padding, layer.data_format) == ("valid", "channels_last")


def test_wrong_rank():
    with pytest.raises(ValueError, match=r"AveragePooling1D.*expected ndim=3"):
        AveragePooling1D(pool_size=2)(torch.zeros(2, 2, 2, 2))


def test_same_padding_averages_real_entries_only():
    x = torch.arange(1.0, 5.0).reshape(1, 4, 1)
    layer = AveragePooling1D(pool_size=4, strides=1, padding="same")
    # Windows [-1, 3), [0, 4), [1, 5), [2, 6) clipped to the input.
    assert layer(x).flatten().tolist() == [2.0, 2.5, 3.0, 3.5]
