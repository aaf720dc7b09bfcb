"""`lamina.layers.serialize` / `deserialize` against Keras 3's."""

import pytest

import lamina
from tests.keras_oracle import keras


def _strip(config):
    return {k: v for k, v in config.items() if k != "build_config"}


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.layers.Dense(3, activation="relu", name="d"),
        lambda lib: lib.layers.Conv2D(2, 3, padding="same", name="c"),
        lambda lib: lib.layers.LayerNormalization(axis=-1, name="ln"),
    ],
)
def test_serialize_matches_keras(make):
    k_conf = keras.layers.serialize(make(keras))
    l_conf = lamina.layers.serialize(make(lamina))
    assert _strip(l_conf) == _strip(k_conf)


def test_deserialize_keras_config():
    k_conf = keras.layers.serialize(keras.layers.Dense(4, name="dense_x"))
    layer = lamina.layers.deserialize(k_conf)
    assert isinstance(layer, lamina.layers.Dense)
    assert layer.get_config() == keras.layers.deserialize(k_conf).get_config()


def test_deserialize_custom_objects():
    class MyLayer(lamina.layers.Layer):
        pass

    conf = lamina.layers.serialize(MyLayer(name="mine"))
    layer = lamina.layers.deserialize(conf, custom_objects={"MyLayer": MyLayer})
    assert isinstance(layer, MyLayer) and layer.name == "mine"


def test_deserialize_rejects_non_layer():
    conf = lamina.saving.serialize_keras_object(lamina.initializers.Zeros())
    with pytest.raises(ValueError, match="not a `lamina.layers.Layer`"):
        lamina.layers.deserialize(conf)
