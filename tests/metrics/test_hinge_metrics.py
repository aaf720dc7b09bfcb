import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config

CLASSES = ["Hinge", "SquaredHinge", "CategoricalHinge"]


def _labels(rng, shape, kind):
    if kind == "binary":
        return (rng.uniform(size=shape) > 0.5).astype("float32")
    if kind == "signed":
        return np.where(rng.uniform(size=shape) > 0.5, 1.0, -1.0).astype(
            "float32"
        )
    if kind == "one_hot":
        return np.eye(shape[-1], dtype="float32")[
            rng.integers(0, shape[-1], size=shape[:-1])
        ]
    return rng.normal(size=shape).astype("float32")  # Neither: as is.


@pytest.mark.parametrize("cls_name", CLASSES)
@pytest.mark.parametrize("kind", ["binary", "signed", "one_hot", "other"])
@pytest.mark.parametrize("weight_shape", [None, (6,)])
def test_matches_keras(rng, cls_name, kind, weight_shape):
    batches = []
    for _ in range(3):
        weights = (
            None
            if weight_shape is None
            else rng.uniform(size=weight_shape).astype("float32")
        )
        batches.append(
            (
                _labels(rng, (6, 4), kind),
                rng.normal(size=(6, 4)).astype("float32"),
                weights,
            )
        )
    check_against_keras(
        getattr(lamina.metrics, cls_name)(),
        getattr(keras.metrics, cls_name)(),
        batches,
    )


@pytest.mark.parametrize(
    "fn_name", ["hinge", "squared_hinge", "categorical_hinge"]
)
def test_functions_match_keras(rng, fn_name):
    y_true = _labels(rng, (5, 3), "binary")
    y_pred = rng.normal(size=(5, 3)).astype("float32")
    ours = getattr(lamina.metrics, fn_name)(
        torch.as_tensor(y_true), torch.as_tensor(y_pred)
    )
    theirs = getattr(keras.metrics, fn_name)(y_true, y_pred)
    np.testing.assert_allclose(ours.numpy(), to_numpy(theirs), rtol=1e-6)


@pytest.mark.parametrize("cls_name", CLASSES)
def test_config_matches_keras(cls_name):
    check_config(
        getattr(lamina.metrics, cls_name)(name="h"),
        getattr(keras.metrics, cls_name)(name="h"),
    )


@pytest.mark.parametrize("cls_name", CLASSES)
def test_mismatched_shapes_raise(cls_name):
    m = getattr(lamina.metrics, cls_name)(name="bad")
    with pytest.raises(ValueError, match=rf"{cls_name} 'bad'.*same shape"):
        m.update_state(np.zeros((4, 3)), np.zeros((4, 2)))
