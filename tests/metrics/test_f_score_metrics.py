import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config


def _batches(rng, weighted, n=3):
    batches = []
    for _ in range(n):
        y_true = (rng.uniform(size=(8, 4)) > 0.6).astype("float32")
        y_pred = rng.uniform(size=(8, 4)).astype("float32")
        y_pred[0] = 0.0  # An all-zero row stays all zero without threshold.
        weights = rng.uniform(size=(8,)).astype("float32") if weighted else None
        batches.append((y_true, y_pred, weights))
    return batches


AVERAGES = [None, "micro", "macro", "weighted"]


@pytest.mark.parametrize("average", AVERAGES)
@pytest.mark.parametrize("threshold", [None, 0.5])
@pytest.mark.parametrize("weighted", [False, True])
def test_f1_matches_keras(rng, average, threshold, weighted):
    kwargs = {"average": average, "threshold": threshold}
    check_against_keras(
        lamina.metrics.F1Score(**kwargs),
        keras.metrics.F1Score(**kwargs),
        _batches(rng, weighted),
    )


@pytest.mark.parametrize("average", AVERAGES)
@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_fbeta_matches_keras(rng, average, beta):
    kwargs = {"average": average, "beta": beta, "threshold": 0.4}
    check_against_keras(
        lamina.metrics.FBetaScore(**kwargs),
        keras.metrics.FBetaScore(**kwargs),
        _batches(rng, True),
    )


@pytest.mark.parametrize(
    "cls_name,kwargs",
    [
        ("F1Score", {"average": "macro", "threshold": 0.3}),
        ("FBetaScore", {"average": "weighted", "beta": 2.0}),
    ],
)
def test_config_matches_keras(cls_name, kwargs):
    check_config(
        getattr(lamina.metrics, cls_name)(name="f", **kwargs),
        getattr(keras.metrics, cls_name)(name="f", **kwargs),
    )


BAD = [
    (
        "F1Score",
        {"average": "mean"},
        r"`average` of F1Score.*"
        r"Received: average='mean'",
    ),
    (
        "FBetaScore",
        {"beta": 1},
        r"`beta` of FBetaScore.*float > 0.*"
        r"Received: beta=1",
    ),
    ("FBetaScore", {"beta": -1.0}, r"Received: beta=-1.0"),
    (
        "F1Score",
        {"threshold": 1.5},
        r"`threshold` of F1Score.*"
        r"Received: threshold=1.5",
    ),
    ("F1Score", {"threshold": 1}, r"Received: threshold=1"),
]


@pytest.mark.parametrize("cls_name,kwargs,match", BAD)
def test_bad_arguments_raise(cls_name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(lamina.metrics, cls_name)(**kwargs)


@pytest.mark.parametrize(
    "true_shape,pred_shape,match",
    [
        ((8,), (8,), r"2D inputs.*y_true.shape=\(8,\)"),
        ((8, 3), (8, 4), r"same shape"),
    ],
)
def test_bad_shapes_raise(true_shape, pred_shape, match):
    m = lamina.metrics.F1Score(name="f1")
    with pytest.raises(ValueError, match=rf"F1Score 'f1'.*{match}"):
        m.update_state(np.zeros(true_shape), np.zeros(pred_shape))
