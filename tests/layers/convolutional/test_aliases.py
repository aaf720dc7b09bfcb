"""Keras's long-form convolution aliases are the same classes."""

import pytest

import lamina
from tests.keras_oracle import keras

ALIASES = {
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
    "Convolution1DTranspose": "Conv1DTranspose",
    "Convolution2DTranspose": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose",
    "SeparableConvolution1D": "SeparableConv1D",
    "SeparableConvolution2D": "SeparableConv2D",
}


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_alias_is_the_same_class_as_in_keras(alias):
    target = ALIASES[alias]
    assert getattr(keras.layers, alias) is getattr(keras.layers, target)
    assert getattr(lamina.layers, alias) is getattr(lamina.layers, target)
    assert alias in lamina.layers.__all__


def test_alias_config_names_the_short_class():
    k_conf = keras.layers.serialize(keras.layers.Convolution2D(2, 3))
    l_conf = lamina.layers.serialize(lamina.layers.Convolution2D(2, 3))
    assert l_conf["class_name"] == k_conf["class_name"] == "Conv2D"
