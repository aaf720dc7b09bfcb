"""Zeros, Ones, Constant and Identity: exact values against Keras 3."""

import numpy as np
import pytest
import torch

import lamina
from lamina.saving import deserialize_keras_object
from lamina.saving import serialize_keras_object
from tests.keras_oracle import keras, to_numpy

CASES = [
    ("Zeros", {}),
    ("Ones", {}),
    ("Constant", {}),
    ("Constant", {"value": 3.5}),
    ("Constant", {"value": -2}),
    ("Identity", {}),
    ("Identity", {"gain": 2.5}),
]


@pytest.mark.parametrize("name,kwargs", CASES)
@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (4, 2)])
@pytest.mark.parametrize("dtype", [None, "float64", "int32"])
def test_values_match_keras(name, kwargs, shape, dtype):
    ours = getattr(lamina.initializers, name)(**kwargs)(shape, dtype=dtype)
    theirs = getattr(keras.initializers, name)(**kwargs)(shape, dtype=dtype)
    assert isinstance(ours, torch.Tensor)
    assert tuple(ours.shape) == shape
    if name == "Identity" and dtype == "int32":
        # Keras multiplies an int eye by a float gain and returns float32;
        # lamina returns the dtype asked for.
        assert ours.dtype == torch.int32
        theirs = to_numpy(theirs).astype("int32")
    else:
        assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), to_numpy(theirs))


@pytest.mark.parametrize("name,kwargs", CASES)
def test_serialization_matches_keras(name, kwargs):
    ours = getattr(lamina.initializers, name)(**kwargs)
    theirs = getattr(keras.initializers, name)(**kwargs)
    config = serialize_keras_object(ours)
    expected = keras.saving.serialize_keras_object(theirs)
    if name == "Identity" and kwargs:
        # Keras drops `gain` from Identity's config; lamina keeps it.
        expected["config"] = dict(kwargs)
        assert keras.saving.deserialize_keras_object(config).gain == 2.5
    assert config == expected
    restored = deserialize_keras_object(config)
    assert type(restored) is type(ours)
    assert restored.get_config() == ours.get_config()


@pytest.mark.parametrize("shape", [(), (4,), (2, 3, 4)])
def test_constant_other_ranks_match_keras(shape):
    ours = lamina.initializers.Constant(1.25)(shape)
    theirs = keras.initializers.Constant(1.25)(shape)
    np.testing.assert_array_equal(ours.numpy(), to_numpy(theirs))


def test_constant_numpy_value_serializes_like_keras():
    value = np.float32(0.5)
    config = serialize_keras_object(lamina.initializers.Constant(value))
    assert config == keras.saving.serialize_keras_object(
        keras.initializers.Constant(value)
    )


def test_constant_array_value_broadcasts_and_round_trips():
    value = np.array([1.0, 2.0, 3.0])
    init = lamina.initializers.Constant(value)
    np.testing.assert_array_equal(init((2, 3)).numpy(), [[1, 2, 3]] * 2)
    restored = deserialize_keras_object(serialize_keras_object(init))
    np.testing.assert_array_equal(restored((1, 3)).numpy(), [[1, 2, 3]])
    with pytest.raises(ValueError, match="cannot be broadcast"):
        init((3, 2))


def test_constant_float64_keeps_precision():
    out = lamina.initializers.Constant(0.1)((1,), dtype="float64")
    assert out.item() == 0.1


def test_identity_rejects_non_2d():
    with pytest.raises(ValueError, match=r"only be used for 2D.*rank 3"):
        lamina.initializers.Identity()((2, 3, 4))


def test_bad_shape_names_the_initializer():
    with pytest.raises(ValueError, match="argument `shape` of Zeros"):
        lamina.initializers.Zeros()((2, None))
