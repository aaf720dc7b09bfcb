import numpy as np
import pytest

import lamina
from tests.losses import parity


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"gamma": 0.0},
        {"apply_class_balancing": True, "alpha": 0.4},
        {"label_smoothing": 0.2, "gamma": 1.5},
    ],
)
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", None])
@pytest.mark.parametrize("sw", [None, "batch1"])
def test_binary_focal_matches_keras(from_logits, kwargs, reduction, sw):
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, (5, 3)).astype("float32")
    if from_logits:
        y_pred = rng.normal(0, 3, (5, 3)).astype("float32")
    else:
        y_pred = rng.uniform(0, 1, (5, 3)).astype("float32")
        y_pred[0, :2] = [0.0, 1.0]
    weights = parity.sample_weight(sw, (5,), rng)
    parity.compare_class(
        "BinaryFocalCrossentropy",
        {**kwargs, "from_logits": from_logits, "reduction": reduction},
        y_true,
        y_pred,
        weights,
        grad=True,
    )


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"gamma": 0.0, "alpha": 1.0},
        {"alpha": [0.2, 0.3, 0.5]},
        {"label_smoothing": 0.1, "gamma": 3.0},
        {"axis": 1},
    ],
)
@pytest.mark.parametrize("sw", [None, "batch"])
def test_categorical_focal_matches_keras(from_logits, kwargs, sw):
    rng = np.random.default_rng(1)
    y_true = np.eye(3, dtype="float32")[rng.integers(0, 3, 6)]
    if from_logits:
        y_pred = rng.normal(0, 2, (6, 3)).astype("float32")
    else:
        y_pred = rng.uniform(0.05, 1, (6, 3)).astype("float32")
        y_pred /= y_pred.sum(-1, keepdims=True)
    weights = parity.sample_weight(sw, (6,), rng)
    parity.compare_class(
        "CategoricalFocalCrossentropy",
        {**kwargs, "from_logits": from_logits},
        y_true,
        y_pred,
        weights,
        grad=True,
    )


@pytest.mark.parametrize(
    "fn,kwargs",
    [
        ("binary_focal_crossentropy", {"apply_class_balancing": True}),
        ("binary_focal_crossentropy", {"from_logits": True, "axis": 1}),
        ("categorical_focal_crossentropy", {"from_logits": True}),
        ("categorical_focal_crossentropy", {"axis": 1, "gamma": 1.0}),
    ],
)
def test_functions_match_keras(fn, kwargs):
    rng = np.random.default_rng(2)
    y_true = rng.integers(0, 2, (2, 3, 4)).astype("float32")
    y_pred = rng.uniform(0.05, 0.95, (2, 3, 4)).astype("float32")
    parity.compare_function(fn, kwargs, y_true, y_pred, grad=True)


def test_binary_focal_shape_mismatch_raises():
    with pytest.raises(ValueError, match=r"`binary_focal_crossentropy`"):
        lamina.losses.binary_focal_crossentropy(
            np.ones((3, 2)), np.ones((3, 1)) / 2
        )


def test_categorical_focal_bool_axis_raises():
    with pytest.raises(ValueError, match="Received: axis=False"):
        lamina.losses.categorical_focal_crossentropy(
            np.ones((2, 3)), np.ones((2, 3)), axis=False
        )


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("BinaryFocalCrossentropy", {}),
        (
            "BinaryFocalCrossentropy",
            {
                "apply_class_balancing": True,
                "alpha": 0.5,
                "gamma": 1.0,
                "from_logits": True,
            },
        ),
        (
            "CategoricalFocalCrossentropy",
            {"alpha": 0.5, "label_smoothing": 0.1},
        ),
        ("CategoricalFocalCrossentropy", {"alpha": [0.1, 0.9]}),
    ],
)
def test_config_matches_keras(name, kwargs):
    parity.compare_config(name, kwargs)
