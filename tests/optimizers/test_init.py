"""`lamina.optimizers.get / serialize / deserialize` against Keras 3."""

import pytest
import torch

import lamina
from tests.keras_oracle import keras

NAMES = [
    "sgd",
    "adam",
    "adamw",
    "rmsprop",
    "adagrad",
    "adadelta",
    "adamax",
    "nadam",
    "lion",
    "ftrl",
    "Adam",
    "RMSprop",
]


@pytest.mark.parametrize("name", NAMES)
def test_get_by_name_matches_keras(name):
    ours, theirs = lamina.optimizers.get(name), keras.optimizers.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    config, expected = ours.get_config(), theirs.get_config()
    config.pop("name"), expected.pop("name")
    assert config == expected


def test_get_passes_optimizers_and_none_through():
    opt = lamina.optimizers.SGD()
    assert lamina.optimizers.get(opt) is opt
    assert lamina.optimizers.get(None) is None


@pytest.mark.parametrize(
    "identifier", ["foo", 3, "optimizer", lamina.optimizers.Adam]
)
def test_get_rejects_unknown_identifiers(identifier):
    keras_id = (
        keras.optimizers.Adam if isinstance(identifier, type) else identifier
    )
    # Keras raises TypeError for "optimizer" (the abstract base).
    with pytest.raises((ValueError, TypeError)):
        keras.optimizers.get(keras_id)
    with pytest.raises(ValueError, match="Could not interpret optimizer"):
        lamina.optimizers.get(identifier)


def test_get_wraps_torch_optimizers():
    wrapped = lamina.optimizers.get(torch.optim.AdamW)
    assert isinstance(wrapped, lamina.optimizers.TorchOptimizer)
    param = torch.nn.Parameter(torch.ones(2))
    instance = torch.optim.SGD([param], lr=0.1)
    wrapped = lamina.optimizers.get(instance)
    assert wrapped.torch_optimizer is instance


@pytest.mark.parametrize(
    "name, config",
    [
        ("Adam", {"learning_rate": 0.01, "amsgrad": True, "clipnorm": 1.0}),
        ("SGD", {"momentum": 0.9, "nesterov": True, "use_ema": True}),
        ("Ftrl", {"beta": 0.1, "gradient_accumulation_steps": 4}),
    ],
)
def test_serialization_interoperates_with_keras(name, config):
    ours = getattr(lamina.optimizers, name)(name="opt", **config)
    theirs = getattr(keras.optimizers, name)(name="opt", **config)
    serialized = lamina.optimizers.serialize(ours)
    assert serialized["class_name"] == name
    assert serialized["module"] == "keras.optimizers"
    assert serialized["config"] == theirs.get_config()
    from_keras = lamina.optimizers.deserialize(
        keras.optimizers.serialize(theirs)
    )
    assert from_keras.get_config() == ours.get_config()
    to_keras = keras.optimizers.deserialize(serialized)
    assert to_keras.get_config() == theirs.get_config()


def test_serialization_with_schedule_interoperates_with_keras():
    schedule = lamina.optimizers.schedules.ExponentialDecay(0.1, 3, 0.5)
    ours = lamina.optimizers.Adam(learning_rate=schedule, name="opt")
    theirs = keras.optimizers.deserialize(lamina.optimizers.serialize(ours))
    assert isinstance(
        theirs._learning_rate, keras.optimizers.schedules.ExponentialDecay
    )
    back = lamina.optimizers.deserialize(keras.optimizers.serialize(theirs))
    assert back.get_config() == ours.get_config()
    assert isinstance(
        back._learning_rate, lamina.optimizers.schedules.ExponentialDecay
    )


def test_deserialize_rejects_non_configs():
    with pytest.raises(ValueError, match="Could not interpret optimizer"):
        lamina.optimizers.deserialize("adam")


def test_all_names_are_exported():
    for name in lamina.optimizers.__all__:
        assert hasattr(lamina.optimizers, name)
    assert lamina.Optimizer is lamina.optimizers.Optimizer
