import pytest
import torch

from lamina.layers.pooling.max_pooling1d import MaxPool1D
from lamina.layers.pooling.max_pooling1d import MaxPooling1D
from tests.keras_oracle import keras
from tests.layers.pooling.helpers import check_keras
from tests.layers.pooling.helpers import check_reference

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


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_matches_keras(kwargs, shape):
    fmt = kwargs.get("data_format", "channels_last")
    check_keras("MaxPooling1D", MaxPooling1D, kwargs, shape, SYMBOLIC[fmt])


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_matches_float64_reference(kwargs, shape):
    check_reference(MaxPooling1D(**kwargs), shape)


def test_alias_and_defaults_match_keras():
    assert MaxPool1D is MaxPooling1D
    assert getattr(keras.layers, "MaxPool1D") is getattr(
        keras.layers, "MaxPooling1D"
    )
    layer = MaxPooling1D()
    keras_layer = keras.layers.MaxPooling1D()
    assert layer.pool_size == keras_layer.pool_size
    assert layer.strides == keras_layer.strides
    assert (layer.padding, layer.data_format) == ("valid", "channels_last")


def test_wrong_rank():
    with pytest.raises(ValueError, match=r"MaxPooling1D.*expected ndim=3"):
        MaxPooling1D(pool_size=2)(torch.zeros(2, 2, 2, 2))


def test_same_padding_never_wins_the_maximum():
    x = -torch.arange(1.0, 6.0).reshape(1, 5, 1)
    layer = MaxPooling1D(pool_size=2, padding="same")
    assert layer(x).flatten().tolist() == [-1.0, -3.0, -5.0]
