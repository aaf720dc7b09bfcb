import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config


def _batches(rng, shape, weight_shape=None, n=3, logits=False):
    batches = []
    for _ in range(n):
        y_true = (rng.uniform(size=shape) > 0.5).astype("float32")
        noise = rng.normal(scale=0.3, size=shape)
        score = np.clip(0.5 * y_true + 0.25 + noise, 0, 1)
        if logits:
            score = (score - 0.5) * 8
        # Exact 0, 1 and 0.5 hit the endpoints and bucket edges.
        flat = score.reshape(-1)
        flat[:3] = [0.0, 1.0, 0.5]
        weights = (
            None
            if weight_shape is None
            else rng.uniform(size=weight_shape).astype("float32")
        )
        batches.append((y_true, score.astype("float32"), weights))
    return batches


CASES = [
    {},
    {"num_thresholds": 3},
    {"num_thresholds": 50, "curve": "PR"},
    {"curve": "PR", "summation_method": "minoring"},
    {"curve": "PR", "summation_method": "majoring"},
    {"summation_method": "minoring"},
    {"summation_method": "majoring"},
    {"curve": "PRGAIN"},
    {"thresholds": [0.1, 0.4, 0.5, 0.8]},
    {"thresholds": [0.25, 0.5, 0.75]},
    {"thresholds": [0.3, 0.7], "curve": "PR"},
]


@pytest.mark.parametrize("kwargs", CASES)
@pytest.mark.parametrize("weight_shape", [None, (8,)])
def test_auc_matches_keras(rng, kwargs, weight_shape):
    batches = _batches(rng, (8,), weight_shape)
    check_against_keras(
        lamina.metrics.AUC(**kwargs), keras.metrics.AUC(**kwargs), batches
    )


MULTI = [
    ({"multi_label": True}, None),
    ({"multi_label": True, "num_labels": 3}, (6, 3)),
    ({"multi_label": True, "curve": "PR"}, (6,)),
    ({"multi_label": True, "label_weights": [0.2, 0.5, 0.3]}, None),
    (
        {"multi_label": True, "label_weights": [0.2, 0.5, 0.3], "curve": "PR"},
        None,
    ),
    ({"multi_label": True, "thresholds": [0.2, 0.35, 0.9]}, (6,)),
    ({"multi_label": False, "label_weights": [0.2, 0.5, 0.3]}, (6,)),
    (
        {
            "multi_label": False,
            "label_weights": [0.2, 0.5, 0.3],
            "thresholds": [0.2, 0.35, 0.9],
        },
        None,
    ),
    ({}, (6, 3)),
]


@pytest.mark.parametrize("kwargs,weight_shape", MULTI)
def test_multi_label_and_label_weights_match_keras(rng, kwargs, weight_shape):
    batches = _batches(rng, (6, 3), weight_shape)
    check_against_keras(
        lamina.metrics.AUC(**kwargs), keras.metrics.AUC(**kwargs), batches
    )


@pytest.mark.parametrize("curve", ["ROC", "PR"])
def test_from_logits_matches_keras(rng, curve):
    batches = _batches(rng, (8,), (8,), logits=True)
    check_against_keras(
        lamina.metrics.AUC(from_logits=True, curve=curve),
        keras.metrics.AUC(from_logits=True, curve=curve),
        batches,
    )


def test_perfect_and_random_scores():
    m = lamina.metrics.AUC()
    m.update_state(
        torch.tensor([0.0, 0.0, 1.0, 1.0]), torch.tensor([0.1, 0.2, 0.8, 0.9])
    )
    assert float(m.result()) == pytest.approx(1.0)
    assert lamina.metrics.AUC(multi_label=True).result().shape == ()


CONFIGS = [
    {"name": "auc_a"},
    {
        "name": "auc_b",
        "num_thresholds": 10,
        "curve": "PR",
        "summation_method": "majoring",
        "from_logits": True,
    },
    {"name": "auc_c", "thresholds": [0.1, 0.5, 0.9]},
    {"name": "auc_d", "multi_label": True, "num_labels": 3},
    {"name": "auc_e", "multi_label": True, "label_weights": [0.5, 1.0]},
]


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_config_matches_keras(kwargs):
    ours, theirs = lamina.metrics.AUC(**kwargs), keras.metrics.AUC(**kwargs)
    # Keras can't deserialize its own AUC config with label weights.
    check_config(ours, theirs, keras_reads_it="label_weights" not in kwargs)
    np.testing.assert_allclose(ours.thresholds, theirs.thresholds)


BAD = [
    (
        {"num_thresholds": 1},
        r"`num_thresholds` of AUC.*> 1.*"
        r"Received: num_thresholds=1",
    ),
    ({"num_thresholds": 0}, r"Received: num_thresholds=0"),
    ({"curve": "XY"}, r"`curve` of AUC.*Received: curve='XY'"),
    (
        {"summation_method": "mid"},
        r"`summation_method` of AUC.*"
        r"Received: summation_method='mid'",
    ),
    ({"num_labels": 3}, r"`num_labels` of AUC.*multi_label"),
    ({"thresholds": [0.5, 1.2]}, r"`thresholds` of AUC.*\[0, 1\]"),
]


@pytest.mark.parametrize("kwargs,match", BAD)
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lamina.metrics.AUC(**kwargs)


def test_multi_label_needs_2d_predictions():
    m = lamina.metrics.AUC(multi_label=True, name="ml")
    with pytest.raises(
        ValueError,
        match=r"AUC 'ml'.*rank 2.*"
        r"y_pred.shape=\(4,\)",
    ):
        m.update_state([0, 1, 1, 0], [0.2, 0.6, 0.7, 0.1])
