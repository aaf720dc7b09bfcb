"""`serialize_keras_object` / `deserialize_keras_object` against Keras 3:
same serialized forms, files read both ways, and nothing executed or
imported because a config names it."""

import importlib
import json
import os
import sys

import numpy as np
import pytest
import torch

import lamina
from lamina.saving import deserialize_keras_object as deserialize
from lamina.saving import registration
from lamina.saving import serialization
from lamina.saving import serialize_keras_object as serialize
from tests.keras_oracle import keras


@pytest.fixture(autouse=True)
def _clean_registry():
    objects = dict(registration._GLOBAL_CUSTOM_OBJECTS)
    names = dict(registration._GLOBAL_CUSTOM_NAMES)
    yield
    registration._GLOBAL_CUSTOM_OBJECTS.clear()
    registration._GLOBAL_CUSTOM_OBJECTS.update(objects)
    registration._GLOBAL_CUSTOM_NAMES.clear()
    registration._GLOBAL_CUSTOM_NAMES.update(names)


# (family, class name, kwargs) built the same way in lamina and Keras.
OBJECTS = [
    ("initializers", "GlorotUniform", {"seed": 1}),
    ("initializers", "HeNormal", {}),
    ("initializers", "VarianceScaling", {"scale": 3.0, "mode": "fan_avg"}),
    ("initializers", "RandomUniform", {"minval": -1.0, "maxval": 2.0}),
    ("initializers", "Constant", {"value": 0.25}),
    ("initializers", "Orthogonal", {"gain": 0.5, "seed": 2}),
    ("regularizers", "L1", {"l1": 0.2}),
    ("regularizers", "L1L2", {"l1": 0.01, "l2": 0.02}),
    ("regularizers", "OrthogonalRegularizer", {"mode": "columns"}),
    ("constraints", "MaxNorm", {"max_value": 3, "axis": [0, 1]}),
    ("constraints", "NonNeg", {}),
    ("constraints", "MinMaxNorm", {"rate": 0.5}),
]


def _pair(family, name, kwargs):
    return (
        getattr(getattr(lamina, family), name)(**kwargs),
        getattr(getattr(keras, family), name)(**kwargs),
    )


@pytest.mark.parametrize("family,name,kwargs", OBJECTS)
def test_same_form_as_keras_and_json_round_trip(family, name, kwargs):
    ours, theirs = _pair(family, name, kwargs)
    config = serialize(ours)
    assert config == keras.saving.serialize_keras_object(theirs)
    reloaded = deserialize(json.loads(json.dumps(config)))
    assert type(reloaded) is type(ours)
    assert reloaded.get_config() == ours.get_config()


@pytest.mark.parametrize("family,name,kwargs", OBJECTS)
def test_files_read_both_ways(family, name, kwargs):
    ours, theirs = _pair(family, name, kwargs)
    from_keras = deserialize(keras.saving.serialize_keras_object(theirs))
    assert type(from_keras) is type(ours)
    assert serialize(from_keras) == serialize(ours)
    into_keras = keras.saving.deserialize_keras_object(serialize(ours))
    assert type(into_keras).__name__ == name
    assert keras.saving.serialize_keras_object(into_keras) == serialize(ours)


@pytest.mark.parametrize(
    "name", ["relu", "softmax", "gelu", "silu", "hard_silu", "linear"]
)
def test_activation_functions_round_trip(name):
    fn = getattr(lamina.activations, name)
    config = serialize(fn)
    assert config == keras.saving.serialize_keras_object(
        getattr(keras.activations, name)
    )
    assert deserialize(config) is fn
    assert keras.saving.deserialize_keras_object(config) is getattr(
        keras.activations, name
    )


@pytest.mark.parametrize(
    "value",
    [
        None,
        3,
        2.5,
        "text",
        True,
        [1, 2.0, "a"],
        (1, (2, 3)),
        {"a": 1, "b": [None, 2]},
        np.arange(6.0).reshape(2, 3),
        np.array([1, 2], dtype="int32"),
        np.float32(1.5),
        np.int64(4),
        np.array(3.0),
        b"bytes",
        slice(1, None, 2),
        Ellipsis,
        torch.tensor([[1.0, 2.0]]),
        torch.tensor([1, 2], dtype=torch.int64),
    ],
)
def test_plain_values_match_keras(value):
    assert serialize(value) == keras.saving.serialize_keras_object(value)


@pytest.mark.parametrize(
    "value",
    [
        np.arange(6.0).reshape(2, 3),
        b"bytes",
        slice(1, None, 2),
        Ellipsis,
        torch.tensor([[1.0, 2.0]]),
        {"k": (1, 2)},
    ],
)
def test_plain_values_round_trip(value):
    restored = deserialize(serialize(value))
    if isinstance(value, (np.ndarray, torch.Tensor)):
        assert type(restored) is type(value)
        np.testing.assert_array_equal(np.asarray(restored), np.asarray(value))
        assert restored.dtype == value.dtype
    elif isinstance(value, dict):
        assert restored == {"k": [1, 2]}  # JSON has no tuples either
    else:
        assert restored == value


def test_bfloat16_tensor_serializes():
    config = serialize(torch.ones(2, dtype=torch.bfloat16))
    assert config["config"] == {"value": [1.0, 1.0], "dtype": "bfloat16"}
    assert deserialize(config).dtype == torch.bfloat16


class Point:
    def __init__(self, x=0):
        self.x = x

    def get_config(self):
        return {"x": self.x}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def test_custom_class_form_matches_keras():
    config = serialize(Point(3))
    assert config == keras.saving.serialize_keras_object(Point(3))
    assert config["registered_name"] == "Point"
    assert config["module"] == __name__
    restored = deserialize(config, custom_objects={"Point": Point})
    assert isinstance(restored, Point) and restored.x == 3


def test_class_defined_in_main_gets_module_none():
    main_point = type("MainPoint", (Point,), {"__module__": "__main__"})
    config = serialize(main_point(1))
    assert config == keras.saving.serialize_keras_object(main_point(1))
    assert config["module"] is None


def test_registered_class_round_trip():
    lamina.saving.register_keras_serializable("geo")(Point)
    config = serialize(Point(5))
    assert config["registered_name"] == "geo>Point"
    assert deserialize(json.loads(json.dumps(config))).x == 5


def test_custom_objects_reach_nested_from_config():
    class Inner(Point):
        pass

    class Outer(Point):
        def get_config(self):
            return {"x": serialize(self.x)}

        @classmethod
        def from_config(cls, config):
            return cls(deserialize(config["x"]))

    config = serialize(Outer(Inner(7)))
    restored = deserialize(
        config, custom_objects={"Outer": Outer, "Inner": Inner}
    )
    assert isinstance(restored.x, Inner) and restored.x.x == 7


def test_unknown_class_raises_type_error_naming_it():
    config = {
        "module": "keras.layers",
        "class_name": "NoSuchLayer",
        "config": {},
        "registered_name": None,
    }
    with pytest.raises(TypeError, match="Could not locate class 'NoSuchLayer'"):
        deserialize(config)


class _ImportRecorder:
    """A meta-path finder that records (and refuses) imports by name."""

    def __init__(self):
        self.names = []

    def find_spec(self, name, path=None, target=None):
        self.names.append(name)
        return None


def test_config_naming_a_module_never_imports_or_calls_it(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a))
    recorder = _ImportRecorder()
    monkeypatch.setattr(sys, "meta_path", [recorder] + sys.meta_path)
    imported = []
    real_import_module = importlib.import_module
    monkeypatch.setattr(
        importlib,
        "import_module",
        lambda name, *a: imported.append(name) or real_import_module(name, *a),
    )
    configs = [
        {
            "module": "os",
            "class_name": "system",
            "config": {"command": "echo pwned"},
            "registered_name": None,
        },
        {
            "module": "lamina_evil_module",
            "class_name": "Payload",
            "config": {},
            "registered_name": None,
        },
        {
            "module": "subprocess",
            "class_name": "Popen",
            "config": {"args": ["true"]},
        },
    ]
    for config in configs:
        with pytest.raises(
            TypeError,
            match=(f"Could not locate class '{config['class_name']}'"),
        ):
            deserialize(config)
    assert calls == []
    assert "lamina_evil_module" not in recorder.names
    assert "lamina_evil_module" not in sys.modules
    assert all(name.startswith("lamina") for name in imported)


def test_function_configs_only_resolve_known_functions(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a))
    for module in ("os", "builtins"):
        config = {
            "module": module,
            "class_name": "function",
            "config": "system",
            "registered_name": "function",
        }
        with pytest.raises(TypeError, match="Could not locate function"):
            deserialize(config)
    assert calls == []


def test_functions_are_not_instantiated_as_classes():
    config = {
        "module": "keras.initializers",
        "class_name": "get",
        "config": {},
        "registered_name": None,
    }
    with pytest.raises(TypeError, match="Could not locate class 'get'"):
        deserialize(config)


def test_lambda_needs_unsafe_mode():
    scale = 3.0
    fn = lambda x: x * scale  # noqa: E731
    with pytest.warns(UserWarning, match="includes a `lambda`"):
        config = serialize(fn)
    assert config["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="deserialization of a Python lambda"):
        deserialize(config)
    restored = deserialize(json.loads(json.dumps(config)), safe_mode=False)
    assert restored(2.0) == 6.0
    with serialization.SafeModeScope(False):
        assert deserialize(config)(1.0) == 3.0
    with serialization.SafeModeScope(True):
        with pytest.raises(ValueError, match="Python lambda"):
            deserialize(config, safe_mode=False)


def test_keras_written_lambda_loads_when_unsafe():
    with pytest.warns(UserWarning, match="lambda"):
        config = keras.saving.serialize_keras_object(lambda x: x + 1)
    with pytest.raises(ValueError, match="Python lambda"):
        deserialize(config)
    assert deserialize(config, safe_mode=False)(1) == 2


def test_legacy_function_saved_by_bare_name():
    @lamina.saving.register_keras_serializable(package="legacy")
    def doubler(x):
        return 2 * x

    config = {
        "module": "builtins",
        "class_name": "function",
        "config": "doubler",
        "registered_name": "function",
    }
    assert deserialize(config) is doubler


@pytest.mark.parametrize(
    "module",
    [
        None,
        "keras.src.initializers.random_initializers",
        "keras.initializers",
    ],
)
def test_module_only_narrows_the_lookup(module):
    config = {"class_name": "GlorotUniform", "config": {"seed": 3}}
    if module is not None:
        config["module"] = module
    restored = deserialize(config)
    assert isinstance(restored, lamina.initializers.GlorotUniform)
    assert restored.seed == 3


def test_module_objects_lookup():
    table = lamina.initializers.ALL_OBJECTS_DICT
    assert isinstance(
        deserialize("zeros", module_objects=table), lamina.initializers.Zeros
    )
    assert deserialize("nope", module_objects=table) == "nope"
    with pytest.raises(ValueError, match="Unknown `config` as a `dict`"):
        deserialize({"config": {}}, module_objects=table)


def test_bad_inputs():
    with pytest.raises(TypeError, match="no `get_config\\(\\)` method"):
        serialize(object())

    class BadConfig:
        def get_config(self):
            return [1]

    with pytest.raises(TypeError, match="should return a dict"):
        serialize(BadConfig())
    with pytest.raises(TypeError, match="unexpected keyword arguments"):
        deserialize({}, colour="red")
    with pytest.raises(TypeError, match="Could not parse config"):
        deserialize(object())


def test_build_config_is_applied():
    class Built(Point):
        built = False

        def get_build_config(self):
            return {"input_shape": [2, 3]}

        def build_from_config(self, config):
            self.built_with = config
            self.built = True

    config = serialize(Built(1))
    assert config["build_config"] == {"input_shape": [2, 3]}
    restored = deserialize(config, custom_objects={"Built": Built})
    assert restored.built_with == {"input_shape": [2, 3]}


def test_global_unsafe_switch_allows_lambdas(monkeypatch):
    with pytest.warns(UserWarning):
        config = serialize(lambda x: -x)
    monkeypatch.setitem(lamina.config._settings, "unsafe_deserialization", True)
    assert deserialize(config)(2) == -2
