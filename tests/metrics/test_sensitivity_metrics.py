import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config

CLASSES = {
    "SensitivityAtSpecificity": "specificity",
    "SpecificityAtSensitivity": "sensitivity",
    "PrecisionAtRecall": "recall",
    "RecallAtPrecision": "precision",
}


def _batches(rng, shape, weight_shape=None, n=3):
    batches = []
    for _ in range(n):
        y_true = (rng.uniform(size=shape) > 0.5).astype("float32")
        score = np.clip(
            0.4 * y_true + 0.3 + rng.normal(scale=0.25, size=shape), 0, 1
        )
        weights = (
            None
            if weight_shape is None
            else rng.uniform(size=weight_shape).astype("float32")
        )
        batches.append((y_true, np.round(score, 2).astype("float32"), weights))
    return batches


CASES = [
    (0.5, {}, (12,), None),
    (0.8, {"num_thresholds": 7}, (12,), (12,)),
    (0.3, {"num_thresholds": 1}, (12,), None),
    (0.6, {"num_thresholds": 2}, (12,), (12,)),
    (0.7, {"class_id": 1}, (8, 3), (8,)),
    (1.0, {}, (8, 3), None),
    (0.0, {"num_thresholds": 20}, (8, 3), (8, 3)),
]


@pytest.mark.parametrize("cls_name", list(CLASSES))
@pytest.mark.parametrize("value,kwargs,shape,weight_shape", CASES)
def test_matches_keras(rng, cls_name, value, kwargs, shape, weight_shape):
    batches = _batches(rng, shape, weight_shape)
    check_against_keras(
        getattr(lamina.metrics, cls_name)(value, **kwargs),
        getattr(keras.metrics, cls_name)(value, **kwargs),
        batches,
    )


@pytest.mark.parametrize("cls_name", list(CLASSES))
def test_config_matches_keras(cls_name):
    kwargs = {"num_thresholds": 11, "class_id": 2, "name": "s"}
    check_config(
        getattr(lamina.metrics, cls_name)(0.4, **kwargs),
        getattr(keras.metrics, cls_name)(0.4, **kwargs),
    )


@pytest.mark.parametrize("cls_name,arg", list(CLASSES.items()))
@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_value_out_of_range_raises(cls_name, arg, value):
    with pytest.raises(
        ValueError,
        match=rf"`{arg}` of {cls_name}.*"
        rf"\[0, 1\].*Received: {arg}=",
    ):
        getattr(lamina.metrics, cls_name)(value)


@pytest.mark.parametrize("cls_name", list(CLASSES))
def test_num_thresholds_must_be_positive(cls_name):
    with pytest.raises(
        ValueError,
        match=rf"`num_thresholds` of {cls_name}"
        r".*> 0.*Received: num_thresholds=0",
    ):
        getattr(lamina.metrics, cls_name)(0.5, num_thresholds=0)
