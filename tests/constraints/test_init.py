"""`lamina.constraints` get/serialize/deserialize against Keras 3."""

import pytest
import torch

import lamina
from lamina.saving import register_keras_serializable
from tests.keras_oracle import keras


def test_public_names_match_keras():
    theirs = {n for n in dir(keras.constraints) if not n.startswith("_")}
    assert set(lamina.constraints.__all__) == theirs


def test_name_table_matches_keras():
    from keras.src import constraints as keras_constraints

    ours = lamina.constraints.ALL_OBJECTS_DICT
    theirs = keras_constraints.ALL_OBJECTS_DICT
    assert set(ours) == set(theirs)
    for name, cls in theirs.items():
        assert ours[name].__name__ == cls.__name__


@pytest.mark.parametrize("name", sorted(lamina.constraints.ALL_OBJECTS_DICT))
def test_get_by_name_matches_keras(name):
    ours = lamina.constraints.get(name)
    theirs = keras.constraints.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    config = keras.constraints.serialize(theirs)
    assert lamina.constraints.serialize(ours) == config
    assert type(lamina.constraints.get(config)) is type(ours)
    assert type(lamina.constraints.deserialize(config)) is type(ours)


def test_get_instances_classes_functions_none():
    c = lamina.constraints.MaxNorm(1.0)
    assert lamina.constraints.get(c) is c
    assert isinstance(
        lamina.constraints.get(lamina.constraints.NonNeg),
        lamina.constraints.NonNeg,
    )

    def clip(w):
        return torch.clamp(w, -1, 1)

    assert lamina.constraints.get(clip) is clip
    assert lamina.constraints.get(None) is None


@pytest.mark.parametrize(
    "bad,shown",
    [
        ("max_nrom", "'max_nrom'"),
        (2, "2"),
        ({"class_name": "MaxNrom", "config": {}}, "{'class_name': 'MaxNrom'"),
    ],
)
def test_unknown_identifier_raises(bad, shown):
    with pytest.raises(
        ValueError,
        match=("Could not interpret constraint identifier: " + shown),
    ):
        lamina.constraints.get(bad)


def test_registered_custom_constraint_round_trip():
    @register_keras_serializable(package="constraint_test")
    class Clip(lamina.constraints.Constraint):
        def __init__(self, limit=1.0):
            self.limit = limit

        def __call__(self, w):
            return torch.clamp(w, -self.limit, self.limit)

        def get_config(self):
            return {"limit": self.limit}

    config = lamina.constraints.serialize(Clip(0.5))
    assert config["registered_name"] == "constraint_test>Clip"
    restored = lamina.constraints.get(config)
    assert isinstance(restored, Clip) and restored.limit == 0.5
