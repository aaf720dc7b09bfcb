from contextlib import nullcontext

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config


def _batches(rng, shape, weight_shape, n=3):
    batches = []
    for _ in range(n):
        y_true = rng.normal(size=shape).astype("float32")
        y_pred = (y_true + rng.normal(scale=0.5, size=shape)).astype("float32")
        weights = (
            None
            if weight_shape is None
            else rng.uniform(size=weight_shape).astype("float32")
        )
        batches.append((y_true, y_pred, weights))
    return batches


CASES = [
    ({}, (8, 3), None),
    ({}, (8, 3), (8,)),
    ({}, (8, 3), (8, 3)),
    ({"class_aggregation": None}, (8, 3), (8, 1)),
    ({"class_aggregation": "variance_weighted_average"}, (8, 2), (8,)),
    ({"num_regressors": 2}, (8, 1), None),
    ({"num_regressors": 23}, (8, 1), None),  # n - 1 == p: plain score.
    ({"num_regressors": 40}, (8, 1), None),  # n - 1 < p: plain score.
]


@pytest.mark.parametrize("kwargs,shape,weight_shape", CASES)
def test_matches_keras(rng, kwargs, shape, weight_shape):
    batches = _batches(rng, shape, weight_shape)
    # Keras warns when it falls back to the plain score; we don't read the
    # sample count back to the host to decide that.
    falls_back = kwargs.get("num_regressors", 0) > 2
    with pytest.warns(UserWarning) if falls_back else nullcontext():
        check_against_keras(
            lamina.metrics.R2Score(**kwargs),
            keras.metrics.R2Score(**kwargs),
            batches,
            rtol=1e-4,
            atol=1e-5,
        )


def test_one_dimensional_labels_are_expanded(rng):
    y_true = rng.normal(size=(6,)).astype("float32")
    y_pred = rng.normal(size=(6, 1)).astype("float32")
    check_against_keras(
        lamina.metrics.R2Score(),
        keras.metrics.R2Score(),
        [(y_true, y_pred, None)],
    )


def test_config_matches_keras():
    kwargs = {"class_aggregation": None, "num_regressors": 3, "name": "r2"}
    check_config(
        lamina.metrics.R2Score(**kwargs), keras.metrics.R2Score(**kwargs)
    )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (
            {"class_aggregation": "mean"},
            r"`class_aggregation` of R2Score.*"
            r"Received: class_aggregation='mean'",
        ),
        (
            {"num_regressors": -1},
            r"`num_regressors` of R2Score.*>= 0.*"
            r"Received: num_regressors=-1",
        ),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lamina.metrics.R2Score(**kwargs)


@pytest.mark.parametrize(
    "true_shape,pred_shape,match",
    [
        ((4, 2, 1), (4, 2, 1), r"2D inputs.*y_true.shape=\(4, 2, 1\)"),
        ((4, 3), (4, 2), r"same shape"),
    ],
)
def test_bad_shapes_raise(true_shape, pred_shape, match):
    m = lamina.metrics.R2Score(name="r2")
    with pytest.raises(ValueError, match=rf"R2Score 'r2'.*{match}"):
        m.update_state(np.zeros(true_shape), np.zeros(pred_shape))


def test_output_dim_is_fixed_by_the_first_batch():
    m = lamina.metrics.R2Score(name="r2")
    m.update_state(np.zeros((4, 3)), np.ones((4, 3)))
    with pytest.raises(
        ValueError,
        match=r"R2Score 'r2' was built for "
        r"output_dim=3.*\(4, 2\)",
    ):
        m.update_state(np.zeros((4, 2)), np.ones((4, 2)))
