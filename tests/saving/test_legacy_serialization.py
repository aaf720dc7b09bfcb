"""keras.utils.legacy / keras.legacy.saving: Keras 2's format, against
Keras's own functions."""

import numpy as np
import pytest

import lamina
from tests.api.signatures import assert_same_signature
from tests.keras_oracle import keras


def test_signatures_and_homes():
    ours, theirs = lamina.utils.legacy, keras.utils.legacy
    for name in ("serialize_keras_object", "deserialize_keras_object"):
        assert_same_signature(getattr(ours, name), getattr(theirs, name))
        assert getattr(lamina.legacy.saving, name) is getattr(ours, name)


@pytest.mark.parametrize(
    "make",
    [
        lambda ns: ns.initializers.Zeros(),
        lambda ns: ns.initializers.Constant(3.0),
        lambda ns: ns.regularizers.L2(0.1),
    ],
)
def test_serialize_matches_keras(make):
    ours = lamina.utils.legacy.serialize_keras_object(make(lamina))
    theirs = keras.utils.legacy.serialize_keras_object(make(keras))
    assert ours == theirs


def test_keras_configs_deserialize():
    layer = keras.layers.Dense(3, activation="relu", name="d")
    config = keras.utils.legacy.serialize_keras_object(layer)
    ours = lamina.utils.legacy.deserialize_keras_object(config)
    assert isinstance(ours, lamina.layers.Dense)
    assert (ours.units, ours.name) == (3, "d")
    assert ours.activation is lamina.activations.relu
    fn = lamina.utils.legacy.deserialize_keras_object("relu")
    x = np.array([-1.0, 2.0], "float32")
    np.testing.assert_array_equal(
        lamina.ops.convert_to_numpy(fn(x)), [0.0, 2.0]
    )


def test_custom_objects_and_errors():
    class Scale(lamina.layers.Layer):
        pass

    config = {"class_name": "Scale", "config": {"name": "s"}}
    got = lamina.utils.legacy.deserialize_keras_object(
        config, custom_objects={"Scale": Scale}
    )
    assert isinstance(got, Scale) and got.name == "s"
    with pytest.raises(ValueError, match="Unknown layer: 'Nope'"):
        lamina.utils.legacy.deserialize_keras_object(
            {"class_name": "Nope", "config": {}}, printable_module_name="layer"
        )
    with pytest.raises(ValueError, match="Improper config format"):
        lamina.utils.legacy.deserialize_keras_object({"config": {}})
