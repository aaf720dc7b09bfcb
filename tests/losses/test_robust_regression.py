import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras
from tests.losses import parity


def _inputs(shape_true, shape_pred, scale=3.0, seed=0):
    rng = np.random.default_rng(seed)
    y_true = rng.normal(0, scale, shape_true).astype("float32")
    y_pred = rng.normal(0, scale, shape_pred).astype("float32")
    return y_true, y_pred


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("Huber", {}),
        ("Huber", {"delta": 0.5}),
        ("Huber", {"delta": 3.0}),
        ("LogCosh", {}),
    ],
)
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
@pytest.mark.parametrize("sw", [None, "batch", "batch1"])
def test_class_matches_keras(name, kwargs, reduction, sw):
    y_true, y_pred = _inputs((5, 4), (5, 4))
    weights = parity.sample_weight(sw, (5,), np.random.default_rng(1))
    parity.compare_class(
        name,
        {"reduction": reduction, **kwargs},
        y_true,
        y_pred,
        weights,
        grad=True,
    )


@pytest.mark.parametrize(
    "fn,kwargs", [("huber", {}), ("huber", {"delta": 2.0}), ("log_cosh", {})]
)
@pytest.mark.parametrize(
    "shapes", [((4, 3), (4, 3)), ((4,), (4, 1)), ((2, 3, 4), (2, 3, 4))]
)
def test_function_matches_keras(fn, kwargs, shapes):
    # Large errors reach softplus's linear regime in log_cosh.
    y_true, y_pred = _inputs(*shapes, scale=20.0, seed=4)
    parity.compare_function(fn, kwargs, y_true, y_pred, grad=True)


def test_per_timestep_weights_match_keras():
    y_true, y_pred = _inputs((2, 6, 3), (2, 6, 3))
    weights = parity.sample_weight("full", (2, 6), np.random.default_rng(0))
    parity.compare_class("Huber", {}, y_true, y_pred, weights)
    parity.compare_class("LogCosh", {}, y_true, y_pred, weights)


@pytest.mark.parametrize("fn", ["huber", "log_cosh"])
def test_mismatched_shapes_raise(fn):
    y_true, y_pred = _inputs((4, 3), (4, 2))
    with pytest.raises(ValueError, match=rf"`{fn}`.*\(4, 3\).*\(4, 2\)"):
        getattr(lamina.losses, fn)(y_true, y_pred)


def test_log_cosh_config_matches_keras():
    parity.compare_config("LogCosh", {})


def test_huber_config_keeps_delta():
    # Keras 3.15 drops `delta` from the config; lamina keeps it, so its
    # config is Keras's plus `delta`, and Keras can still read it.
    ours = lamina.losses.Huber(delta=2.5, reduction="sum")
    theirs = keras.losses.Huber(delta=2.5, reduction="sum")
    assert ours.get_config() == {**theirs.get_config(), "delta": 2.5}
    rebuilt = lamina.losses.deserialize(lamina.losses.serialize(ours))
    assert rebuilt.delta == 2.5 and rebuilt.reduction == "sum"
    keras_rebuilt = keras.losses.deserialize(lamina.losses.serialize(ours))
    assert keras_rebuilt.get_config() == theirs.get_config()
