import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config

CLASSES = ["PearsonCorrelation", "ConcordanceCorrelation"]


@pytest.mark.parametrize("cls_name", CLASSES)
@pytest.mark.parametrize(
    "axis,shape,weight_shape",
    [
        (-1, (6, 5), None),
        (-1, (6, 5), (6,)),
        (1, (4, 5, 3), (4,)),
        (0, (6, 5), None),
    ],
)
def test_matches_keras(rng, cls_name, axis, shape, weight_shape):
    batches = []
    for _ in range(3):
        y_true = rng.normal(size=shape).astype("float32")
        y_pred = (0.7 * y_true + rng.normal(scale=0.5, size=shape)).astype(
            "float32"
        )
        weights = (
            None
            if weight_shape is None
            else rng.uniform(size=weight_shape).astype("float32")
        )
        batches.append((y_true, y_pred, weights))
    check_against_keras(
        getattr(lamina.metrics, cls_name)(axis=axis),
        getattr(keras.metrics, cls_name)(axis=axis),
        batches,
        rtol=1e-4,
        atol=1e-5,
    )


@pytest.mark.parametrize("cls_name", CLASSES)
def test_config_matches_keras(cls_name):
    check_config(
        getattr(lamina.metrics, cls_name)(name="c", axis=1),
        getattr(keras.metrics, cls_name)(name="c", axis=1),
    )


@pytest.mark.parametrize(
    "fn_name,kwargs,kind",
    [
        ("huber", {}, "regression"),
        ("huber", {"delta": 0.3}, "regression"),
        ("binary_focal_crossentropy", {}, "binary"),
        (
            "binary_focal_crossentropy",
            {
                "apply_class_balancing": True,
                "from_logits": True,
                "gamma": 1.5,
                "label_smoothing": 0.1,
            },
            "binary",
        ),
        ("categorical_focal_crossentropy", {}, "categorical"),
        (
            "categorical_focal_crossentropy",
            {
                "alpha": [0.1, 0.2, 0.3, 0.4],
                "from_logits": True,
                "label_smoothing": 0.2,
            },
            "categorical",
        ),
    ],
)
def test_extra_functions_match_keras(rng, fn_name, kwargs, kind):
    # The per-sample functions Keras exports in `keras.metrics` too.
    if kind == "regression":
        y_true = rng.normal(size=(5, 4)).astype("float32")
    elif kind == "binary":
        y_true = (rng.uniform(size=(5, 4)) > 0.5).astype("float32")
    else:
        y_true = np.eye(4, dtype="float32")[rng.integers(0, 4, size=5)]
    y_pred = rng.uniform(size=(5, 4)).astype("float32")
    ours = getattr(lamina.metrics, fn_name)(
        torch.as_tensor(y_true), torch.as_tensor(y_pred), **kwargs
    )
    theirs = getattr(keras.metrics, fn_name)(y_true, y_pred, **kwargs)
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(theirs), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("cls_name", CLASSES)
def test_mismatched_shapes_raise(cls_name):
    m = getattr(lamina.metrics, cls_name)(name="bad")
    with pytest.raises(ValueError, match=rf"{cls_name} 'bad'.*same shape"):
        m.update_state(np.zeros((4, 3)), np.zeros((4, 2)))
