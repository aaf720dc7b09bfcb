import numpy as np
import pytest
import torch

import lamina
from lamina.layers.regularization.activity_regularization import (
    ActivityRegularization,
)
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.parity import full_parity
from tests.layers.parity import random_input

CASES = [{}, {"l1": 0.1}, {"l2": 0.05}, {"l1": 0.2, "l2": 0.3}]


@pytest.mark.parametrize("kwargs", CASES)
def test_parity(kwargs):
    full_parity(
        "ActivityRegularization",
        ActivityRegularization,
        kwargs,
        (4, 3),
        symbolic=[(3,), (None,)],
    )


@pytest.mark.parametrize("kwargs", CASES)
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 5)])
def test_losses_match_keras(kwargs, shape):
    x = random_input(shape)
    k_layer = keras.layers.ActivityRegularization(**kwargs)
    layer = ActivityRegularization(**kwargs)
    k_layer(x)
    layer(torch.from_numpy(x))
    assert len(layer.losses) == len(k_layer.losses) == 1
    np.testing.assert_allclose(
        float(layer.losses[0]), to_numpy(k_layer.losses[0]), rtol=1e-6
    )


def test_losses_are_per_call_and_reach_model_losses():
    inputs = lamina.Input((3,))
    outputs = lamina.layers.Dense(2)(ActivityRegularization(l1=0.5)(inputs))
    model = lamina.Model(inputs, outputs)
    x = torch.ones(4, 3)
    model(x)
    model(x)
    assert len(model.losses) == 1
    np.testing.assert_allclose(float(model.losses[0]), 0.5 * 3)


def test_config_has_no_activity_regularizer():
    config = ActivityRegularization(l1=0.1).get_config()
    assert "activity_regularizer" not in config
    assert (config["l1"], config["l2"]) == (0.1, 0.0)


def test_bad_factor():
    with pytest.raises(ValueError, match="l1"):
        ActivityRegularization(l1="x")


def _functional_with_activity_losses(lib):
    x = lib.Input((3,))
    h = lib.layers.Dense(2, activity_regularizer="l2", name="d")(x)
    out = lib.layers.ActivityRegularization(l1=0.1)(h)
    return lib.Model(x, out)


def test_functional_model_losses_after_a_call_match_keras():
    # The functional construction traces on meta tensors; its activity
    # losses must not be kept ("Cannot copy out of meta tensor").
    model = _functional_with_activity_losses(lamina)
    k_model = _functional_with_activity_losses(keras)
    assert model.losses == [] and k_model.losses == []
    model.set_weights(k_model.get_weights())
    x = random_input((4, 3), seed=3)
    model(torch.from_numpy(x))
    k_model(x)
    mine = sorted(float(v) for v in model.losses)
    theirs = sorted(float(to_numpy(v)) for v in k_model.losses)
    np.testing.assert_allclose(mine, theirs, rtol=1e-5)
    model(lamina.Input((3,)))  # a symbolic call adds nothing, as in Keras
    assert all(v.device.type != "meta" for v in model.losses)
