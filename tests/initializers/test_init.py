"""`lamina.initializers` get/serialize/deserialize against Keras 3."""

import numpy as np
import pytest
import torch

import lamina
from lamina.saving import register_keras_serializable
from tests.keras_oracle import keras

# STFT (a scipy-backed initializer for the STFTSpectrogram layer) is not
# part of lamina.
_NOT_PORTED: set = set()


def test_public_names_match_keras():
    theirs = {n for n in dir(keras.initializers) if not n.startswith("_")}
    assert set(lamina.initializers.__all__) == theirs - _NOT_PORTED


def test_name_table_matches_keras():
    from keras.src import initializers as keras_initializers

    theirs = {
        k: v
        for k, v in keras_initializers.ALL_OBJECTS_DICT.items()
        if k not in _NOT_PORTED
    }
    ours = lamina.initializers.ALL_OBJECTS_DICT
    assert set(ours) == set(theirs)
    for name, cls in theirs.items():
        assert ours[name].__name__ == cls.__name__


@pytest.mark.parametrize(
    "name",
    sorted(
        set(lamina.initializers.ALL_OBJECTS_DICT)
        - {"Initializer", "initializer"}
    ),
)
def test_get_by_name_matches_keras(name):
    ours = lamina.initializers.get(name)
    if name in ("Constant", "constant"):
        # Keras 3.15's `get("constant")` raises KeyError: 'value'.
        theirs = keras.initializers.Constant()
    else:
        theirs = keras.initializers.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    ours_config = lamina.initializers.serialize(ours)
    theirs_config = keras.initializers.serialize(theirs)
    assert ours_config == theirs_config
    # A Keras-written config comes back as the same class.
    assert type(lamina.initializers.get(theirs_config)) is type(ours)
    assert type(lamina.initializers.deserialize(theirs_config)) is type(ours)


def test_get_passes_instances_and_functions_and_builds_classes():
    init = lamina.initializers.HeNormal(seed=1)
    assert lamina.initializers.get(init) is init
    assert isinstance(
        lamina.initializers.get(lamina.initializers.Ones),
        lamina.initializers.Ones,
    )

    def fn(shape, dtype=None):
        return torch.zeros(shape)

    assert lamina.initializers.get(fn) is fn
    assert lamina.initializers.get(None) is None


@pytest.mark.parametrize(
    "value", [torch.arange(6.0).reshape(2, 3), np.ones((2, 3), dtype="float32")]
)
def test_get_with_a_tensor(value):
    init = lamina.initializers.get(value)
    out = init((2, 3), dtype="float64")
    assert out.dtype == torch.float64
    np.testing.assert_array_equal(out.numpy(), np.asarray(value))
    with pytest.raises(ValueError, match=r"Expected `shape` to be \(2, 3\)"):
        init((3, 2))


@pytest.mark.parametrize(
    "bad,shown",
    [
        ("glorot_unifrom", "'glorot_unifrom'"),
        ({"class_name": "Foo", "config": {}}, "{'class_name': 'Foo'"),
        (3, "3"),
    ],
)
def test_unknown_identifier_raises(bad, shown):
    with pytest.raises(
        ValueError,
        match=("Could not interpret initializer identifier: " + shown),
    ):
        lamina.initializers.get(bad)


def test_config_with_module_none_needs_registration():
    config = {
        "module": None,
        "class_name": "MyInit",
        "config": {},
        "registered_name": "MyInit",
    }
    with pytest.raises(TypeError, match="`MyInit` is a custom class"):
        lamina.initializers.deserialize(config)


def test_registered_custom_initializer():
    @register_keras_serializable(package="init_test")
    class Halves(lamina.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return torch.full(shape, 0.5)

    config = lamina.initializers.serialize(Halves())
    assert config["registered_name"] == "init_test>Halves"
    assert isinstance(lamina.initializers.get(config), Halves)
    assert isinstance(lamina.initializers.get("init_test>Halves"), Halves)


def test_custom_objects_argument():
    class Sevens(lamina.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return torch.full(shape, 7.0)

    config = lamina.initializers.serialize(Sevens())
    restored = lamina.initializers.deserialize(
        config, custom_objects={"Sevens": Sevens}
    )
    assert isinstance(restored, Sevens)
    # A bare name resolves to the class (Keras); `get` instantiates it.
    assert (
        lamina.initializers.deserialize(
            "Sevens", custom_objects={"Sevens": Sevens}
        )
        is Sevens
    )
    with lamina.saving.custom_object_scope({"Sevens": Sevens}):
        assert isinstance(lamina.initializers.get("Sevens"), Sevens)
    with pytest.raises(ValueError, match="identifier: 'Sevens'"):
        lamina.initializers.get("Sevens")
