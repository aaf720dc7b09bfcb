import pytest
import torch

from lamina.layers.pooling.average_pooling2d import AvgPool2D
from lamina.layers.pooling.average_pooling2d import AveragePooling2D
from tests.keras_oracle import keras
from tests.layers.pooling.helpers import check_keras
from tests.layers.pooling.helpers import check_reference
from tests.layers.pooling.helpers import same_is_symmetric

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


# Where Keras's torch backend pads `same` asymmetrically it replicates the
# edge values into the average; those cases are checked against the
# reference (real entries only, as Keras defines it) instead.
KERAS_CASES = [
    c
    for c in CASES
    if c[0].get("padding", "valid") == "valid"
    or same_is_symmetric(c[1], c[0], 2)
]


@pytest.mark.parametrize("kwargs,shape", KERAS_CASES)
def test_matches_keras(kwargs, shape):
    fmt = kwargs.get("data_format", "channels_last")
    check_keras(
        "AveragePooling2D", AveragePooling2D, kwargs, shape, SYMBOLIC[fmt]
    )


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_matches_float64_reference(kwargs, shape):
    check_reference(AveragePooling2D(**kwargs), shape)


def test_alias_and_defaults_match_keras():
    assert AvgPool2D is AveragePooling2D
    assert getattr(keras.layers, "AvgPool2D") is getattr(
        keras.layers, "AveragePooling2D"
    )
    layer = AveragePooling2D(pool_size=2)
    keras_layer = keras.layers.AveragePooling2D(pool_size=2)
    assert layer.pool_size == keras_layer.pool_size
    assert layer.strides == keras_layer.strides
    assert (layer.padding, layer.data_format) == ("valid", "channels_last")


def test_wrong_rank():
    with pytest.raises(ValueError, match=r"AveragePooling2D.*expected ndim=4"):
        AveragePooling2D(pool_size=2)(torch.zeros(2, 2, 2, 2, 2))
