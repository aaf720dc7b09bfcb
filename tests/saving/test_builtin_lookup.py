"""Looking up lamina's public classes and functions by config name."""

import pytest

import lamina
from lamina.saving import builtin_lookup


@pytest.mark.parametrize(
    "module",
    [
        "keras.initializers",
        "keras.src.initializers.random_initializers",
    ],
)
def test_find_class_in_keras_modules(module):
    assert (
        builtin_lookup.find_class("HeNormal", {"module": module})
        is lamina.initializers.HeNormal
    )


def test_missing_module_key_searches_every_family():
    assert builtin_lookup.find_class("MaxNorm", {}) is (
        lamina.constraints.MaxNorm
    )


@pytest.mark.parametrize(
    "config",
    [
        {"module": None},
        {"module": "os"},
        {"module": "my_package.layers"},
        {"module": "keras_hub.models"},
    ],
)
def test_non_keras_modules_find_nothing(config):
    assert builtin_lookup.find_class("HeNormal", config) is None


@pytest.mark.parametrize(
    "name", ["get", "serialize", "glorot_uniformx", "torch", "Any"]
)
def test_only_public_classes_are_found(name):
    assert (
        builtin_lookup.find_class(name, {"module": "keras.initializers"})
        is None
    )


def test_aliases_are_classes_too():
    assert builtin_lookup.find_class(
        "glorot_uniform", {"module": "keras.initializers"}
    ) is (lamina.initializers.GlorotUniform)


def test_find_function():
    assert builtin_lookup.find_function("swish") is lamina.activations.silu
    assert (
        builtin_lookup.find_function("relu", "keras.activations")
        is lamina.activations.relu
    )
    assert builtin_lookup.find_function("system") is None
    # Classes in a family's table are not functions.
    assert builtin_lookup.find_function("Ones") is None
