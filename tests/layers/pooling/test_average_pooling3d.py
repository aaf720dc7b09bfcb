import pytest
import torch

from lamina.layers.pooling.average_pooling3d import AvgPool3D
from lamina.layers.pooling.average_pooling3d import AveragePooling3D
from tests.keras_oracle import keras
from tests.layers.pooling.helpers import check_keras
from tests.layers.pooling.helpers import check_reference
from tests.layers.pooling.helpers import same_is_symmetric

CASES = [
    ({"pool_size": (2, 2, 2)}, (1, 4, 5, 3, 2)),
    ({"pool_size": (3, 2, 2), "strides": (1, 2, 1)}, (2, 4, 4, 3, 2)),
    ({"pool_size": 2, "strides": 1, "padding": "same"}, (1, 3, 4, 3, 2)),
    ({"pool_size": 3, "strides": 2, "padding": "same"}, (1, 5, 4, 5, 2)),
    (
        {"pool_size": 2, "padding": "same", "data_format": "channels_first"},
        (1, 2, 3, 4, 5),
    ),
    (
        {"pool_size": (1, 2, 3), "data_format": "channels_first"},
        (2, 2, 3, 4, 6),
    ),
]
SYMBOLIC = {
    "channels_last": [(4, 5, 3, 2), (None, None, 4, 2)],
    "channels_first": [(2, 4, 5, 3), (2, None, 4, None)],
}


# Where Keras's torch backend pads `same` asymmetrically it replicates the
# edge values into the average; those cases are checked against the
# reference (real entries only, as Keras defines it) instead.
KERAS_CASES = [
    c
    for c in CASES
    if c[0].get("padding", "valid") == "valid"
    or same_is_symmetric(c[1], c[0], 3)
]


@pytest.mark.parametrize("kwargs,shape", KERAS_CASES)
def test_matches_keras(kwargs, shape):
    fmt = kwargs.get("data_format", "channels_last")
    check_keras(
        "AveragePooling3D", AveragePooling3D, kwargs, shape, SYMBOLIC[fmt]
    )


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_matches_float64_reference(kwargs, shape):
    check_reference(AveragePooling3D(**kwargs), shape)


def test_alias_and_defaults_match_keras():
    assert AvgPool3D is AveragePooling3D
    assert getattr(keras.layers, "AvgPool3D") is getattr(
        keras.layers, "AveragePooling3D"
    )
    layer = AveragePooling3D(pool_size=2)
    keras_layer = keras.layers.AveragePooling3D(pool_size=2)
    assert layer.pool_size == keras_layer.pool_size
    assert layer.strides == keras_layer.strides
    assert (layer.padding, layer.data_format) == ("valid", "channels_last")


def test_wrong_rank():
    with pytest.raises(ValueError, match=r"AveragePooling3D.*expected ndim=5"):
        AveragePooling3D(pool_size=2)(torch.zeros(2, 2, 2, 2, 2, 2))
