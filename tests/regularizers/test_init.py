"""`lamina.regularizers` get/serialize/deserialize against Keras 3."""

import pytest
import torch

import lamina
from lamina.saving import register_keras_serializable
from tests.keras_oracle import keras


def test_public_names_match_keras():
    theirs = {n for n in dir(keras.regularizers) if not n.startswith("_")}
    assert set(lamina.regularizers.__all__) == theirs


def test_name_table_extends_keras():
    from keras.src import regularizers as keras_regularizers

    ours = lamina.regularizers.ALL_OBJECTS_DICT
    theirs = keras_regularizers.ALL_OBJECTS_DICT
    # lamina also accepts "l1_l2", the name Keras exports the class under.
    assert set(ours) == set(theirs) | {"l1_l2"}
    for name, cls in theirs.items():
        assert ours[name].__name__ == cls.__name__


@pytest.mark.parametrize(
    "name",
    [
        "l1",
        "l2",
        "l1l2",
        "L1",
        "L2",
        "L1L2",
        "orthogonal_regularizer",
        "OrthogonalRegularizer",
    ],
)
def test_get_by_name_matches_keras(name):
    ours = lamina.regularizers.get(name)
    theirs = keras.regularizers.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    config = keras.regularizers.serialize(theirs)
    assert lamina.regularizers.serialize(ours) == config
    assert type(lamina.regularizers.get(config)) is type(ours)
    assert type(lamina.regularizers.deserialize(config)) is type(ours)


def test_l1_l2_name():
    assert isinstance(
        lamina.regularizers.get("l1_l2"), lamina.regularizers.L1L2
    )
    assert lamina.regularizers.l1_l2 is lamina.regularizers.L1L2


def test_get_instances_classes_functions_none():
    reg = lamina.regularizers.L2(0.5)
    assert lamina.regularizers.get(reg) is reg
    assert isinstance(
        lamina.regularizers.get(lamina.regularizers.L1), lamina.regularizers.L1
    )

    def fn(w):
        return torch.sum(w)

    assert lamina.regularizers.get(fn) is fn
    assert lamina.regularizers.get(None) is None


@pytest.mark.parametrize(
    "bad,shown",
    [
        ("l3", "'l3'"),
        (0.1, "0.1"),
        ({"class_name": "L3", "config": {}}, "{'class_name': 'L3'"),
    ],
)
def test_unknown_identifier_raises(bad, shown):
    with pytest.raises(
        ValueError,
        match=("Could not interpret regularizer identifier: " + shown),
    ):
        lamina.regularizers.get(bad)


def test_registered_custom_regularizer():
    @register_keras_serializable(package="reg_test")
    class Sum(lamina.regularizers.Regularizer):
        def __init__(self, k=1.0):
            self.k = k

        def __call__(self, x):
            return self.k * torch.sum(x)

        def get_config(self):
            return {"k": self.k}

    config = lamina.regularizers.serialize(Sum(2.0))
    assert config["registered_name"] == "reg_test>Sum"
    restored = lamina.regularizers.get(config)
    assert isinstance(restored, Sum) and restored.k == 2.0
