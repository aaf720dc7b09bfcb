"""`lamina.activations` get/serialize/deserialize against Keras 3."""

import pytest
import torch

import lamina
from lamina.saving import register_keras_serializable
from lamina.saving import serialize_keras_object
from tests.keras_oracle import keras


def _keras_public_names(module):
    return {n for n in dir(module) if not n.startswith("_")}


def test_public_names_match_keras():
    assert set(lamina.activations.__all__) == _keras_public_names(
        keras.activations
    )


def test_name_table_matches_keras():
    from keras.src import activations as keras_activations

    ours = lamina.activations.ALL_OBJECTS_DICT
    theirs = keras_activations.ALL_OBJECTS_DICT
    assert set(ours) == set(theirs)
    for name, fn in theirs.items():
        assert ours[name].__name__ == fn.__name__


@pytest.mark.parametrize("name", sorted(lamina.activations.ALL_OBJECTS_DICT))
def test_serialize_equals_keras(name):
    ours = lamina.activations.get(name)
    theirs = keras.activations.get(name)
    assert lamina.activations.serialize(ours) == (
        keras.activations.serialize(theirs)
    )
    assert serialize_keras_object(ours) == (
        keras.saving.serialize_keras_object(theirs)
    )


@pytest.mark.parametrize("name", sorted(lamina.activations.ALL_OBJECTS_DICT))
def test_deserialize_keras_forms(name):
    fn = lamina.activations.ALL_OBJECTS_DICT[name]
    config = keras.saving.serialize_keras_object(keras.activations.get(name))
    assert lamina.activations.get(config) is fn
    assert lamina.activations.deserialize(config) is fn
    assert lamina.activations.deserialize(name) is fn


def test_get_none_string_callable():
    assert lamina.activations.get(None) is lamina.activations.linear
    assert lamina.activations.get("relu") is lamina.activations.relu

    def custom(x):
        return x

    assert lamina.activations.get(custom) is custom
    layer_like = torch.nn.ReLU()
    assert lamina.activations.get(layer_like) is layer_like


@pytest.mark.parametrize("bad", ["relux", 3, [1]])
def test_get_unknown_raises(bad):
    with pytest.raises(
        ValueError,
        match=(
            "Could not interpret activation function identifier: "
            + repr(bad).replace("[", r"\[").replace("]", r"\]")
        ),
    ):
        lamina.activations.get(bad)


def test_deserialize_unknown_raises():
    with pytest.raises(ValueError, match="identifier: 'relux'"):
        lamina.activations.deserialize("relux")


def test_get_unknown_function_config_raises_type_error():
    config = {
        "module": "builtins",
        "class_name": "function",
        "config": "relux",
        "registered_name": "function",
    }
    with pytest.raises(TypeError, match="Could not locate function 'relux'"):
        lamina.activations.get(config)


def test_registered_custom_activation_round_trip():
    @register_keras_serializable(package="act_test")
    def my_act(x):
        return x * 2

    config = lamina.activations.serialize(my_act)
    assert config == {
        "module": "builtins",
        "class_name": "function",
        "config": "act_test>my_act",
        "registered_name": "function",
    }
    assert lamina.activations.get(config) is my_act
    assert lamina.activations.deserialize(config) is my_act
    assert lamina.activations.get("act_test>my_act") is my_act


def test_custom_activation_serializes_like_keras():
    def plain_activation(x):
        return x

    expected = keras.activations.serialize(plain_activation)
    assert lamina.activations.serialize(plain_activation) == expected
    config = lamina.activations.serialize(plain_activation)
    restored = lamina.activations.deserialize(
        config, custom_objects={"plain_activation": plain_activation}
    )
    assert restored is plain_activation


def test_serialize_uninterpretable_raises():
    with pytest.raises(ValueError, match="Cannot serialize activation"):
        lamina.activations.serialize(object())
