import pytest
import torch

from lamina.layers.pooling.max_pooling2d import MaxPool2D
from lamina.layers.pooling.max_pooling2d import MaxPooling2D
from tests.keras_oracle import keras
from tests.layers.pooling.helpers import check_keras
from tests.layers.pooling.helpers import check_reference

CASES = [
    ({"pool_size": (2, 2)}, (2, 6, 5, 3)),
    ({"pool_size": 3, "strides": 2}, (2, 7, 8, 2)),
    ({"pool_size": (2, 3), "strides": (1, 2), "padding": "same"}, (2, 5, 6, 2)),
    ({"pool_size": 3, "strides": 1, "padding": "same"}, (1, 5, 4, 3)),
    ({"pool_size": 4, "strides": 1, "padding": "same"}, (1, 5, 6, 2)),
    (
        {"pool_size": 2, "padding": "same", "data_format": "channels_first"},
        (2, 3, 5, 4),
    ),
    (
        {
            "pool_size": (3, 2),
            "strides": (2, 3),
            "data_format": "channels_first",
        },
        (2, 2, 7, 8),
    ),
]
SYMBOLIC = {
    "channels_last": [(6, 5, 3), (None, None, 3)],
    "channels_first": [(3, 6, 5), (3, None, 6)],
}


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_matches_keras(kwargs, shape):
    fmt = kwargs.get("data_format", "channels_last")
    check_keras("MaxPooling2D", MaxPooling2D, kwargs, shape, SYMBOLIC[fmt])


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_matches_float64_reference(kwargs, shape):
    check_reference(MaxPooling2D(**kwargs), shape)


def test_alias_and_defaults_match_keras():
    assert MaxPool2D is MaxPooling2D
    assert getattr(keras.layers, "MaxPool2D") is getattr(
        keras.layers, "MaxPooling2D"
    )
    layer = MaxPooling2D()
    keras_layer = keras.layers.MaxPooling2D()
    assert layer.pool_size == keras_layer.pool_size
    assert layer.strides == keras_layer.strides
    assert (layer.padding, layer.data_format) == ("valid", "channels_last")


def test_wrong_rank():
    with pytest.raises(ValueError, match=r"MaxPooling2D.*expected ndim=4"):
        MaxPooling2D(pool_size=2)(torch.zeros(2, 2, 2, 2, 2))
