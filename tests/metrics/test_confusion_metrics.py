import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras
from tests.metrics.oracle import as_torch
from tests.metrics.oracle import assert_close
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config


def _batches(rng, shape, weight_shape=None, n=3):
    batches = []
    for _ in range(n):
        y_true = (rng.uniform(size=shape) > 0.5).astype("float32")
        # Quantized predictions hit thresholds exactly, the edge case.
        y_pred = np.round(rng.uniform(size=shape), 1).astype("float32")
        weights = (
            None
            if weight_shape is None
            else rng.uniform(size=weight_shape).astype("float32")
        )
        batches.append((y_true, y_pred, weights))
    return batches


COUNTS = ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"]
THRESHOLDS = [
    None,
    0.3,
    [0.1, 0.5, 0.9],
    [0.0, 0.5, 1.0],
    [0.0, 0.25, 0.5, 0.75, 1.0],
]
SHAPES = [
    ((10,), None),
    ((10,), (10,)),
    ((6, 3), (6,)),
    ((6, 3), (6, 3)),
    ((6, 1), (6, 1)),
]


@pytest.mark.parametrize("cls_name", COUNTS)
@pytest.mark.parametrize("thresholds", THRESHOLDS)
@pytest.mark.parametrize("shape,weight_shape", SHAPES[:3])
def test_counts_match_keras(rng, cls_name, thresholds, shape, weight_shape):
    batches = _batches(rng, shape, weight_shape)
    ours = getattr(lamina.metrics, cls_name)(thresholds=thresholds)
    theirs = getattr(keras.metrics, cls_name)(thresholds=thresholds)
    check_against_keras(ours, theirs, batches)


PR_CONFIGS_WEIGHTED_BY_CLASS = [
    {},
    {"thresholds": [0.2, 0.6]},
    {"thresholds": [0.0, 0.5, 1.0]},
    {"top_k": 2},
]
PR_CONFIGS = [
    {},
    {"thresholds": [0.2, 0.6]},
    {"thresholds": [0.0, 0.5, 1.0]},
    {"top_k": 2},
    {"class_id": 1},
    {"top_k": 2, "class_id": 2},
    {"thresholds": 0.4, "class_id": 0},
]


@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
@pytest.mark.parametrize(
    "kwargs,weight_shape",
    [(kwargs, shape) for kwargs in PR_CONFIGS for shape in (None, (6,))]
    + [(kwargs, (6, 4)) for kwargs in PR_CONFIGS_WEIGHTED_BY_CLASS],
)
def test_precision_recall_match_keras(rng, cls_name, kwargs, weight_shape):
    batches = _batches(rng, (6, 4), weight_shape)
    ours = getattr(lamina.metrics, cls_name)(**kwargs)
    theirs = getattr(keras.metrics, cls_name)(**kwargs)
    check_against_keras(ours, theirs, batches)


@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
@pytest.mark.parametrize("shape,weight_shape", SHAPES)
def test_precision_recall_shapes_match_keras(
    rng, cls_name, shape, weight_shape
):
    batches = _batches(rng, shape, weight_shape)
    ours = getattr(lamina.metrics, cls_name)()
    theirs = getattr(keras.metrics, cls_name)()
    check_against_keras(ours, theirs, batches)


CONFIGS = [
    ("TruePositives", {"name": "tp"}),
    ("FalseNegatives", {"name": "fn", "thresholds": [0.2, 0.8]}),
    ("Precision", {"name": "p", "top_k": 3, "class_id": 1}),
    ("Recall", {"name": "r", "thresholds": 0.7, "dtype": "float64"}),
]


@pytest.mark.parametrize("cls_name,kwargs", CONFIGS)
def test_config_matches_keras(cls_name, kwargs):
    check_config(
        getattr(lamina.metrics, cls_name)(**kwargs),
        getattr(keras.metrics, cls_name)(**kwargs),
    )


def test_tuple_thresholds_are_accepted_as_a_list():
    m = lamina.metrics.Precision(thresholds=(0.3, 0.6))
    assert m.thresholds == [0.3, 0.6]
    assert m.get_config()["thresholds"] == [0.3, 0.6]


@pytest.mark.parametrize("cls_name", ["Precision", "TruePositives"])
@pytest.mark.parametrize("thresholds", [1.5, [0.2, -0.1], [None]])
def test_thresholds_out_of_range_raise(cls_name, thresholds):
    with pytest.raises(
        ValueError,
        match=rf"`thresholds` of {cls_name}.*"
        r"\[0, 1\].*Received: thresholds=",
    ):
        getattr(lamina.metrics, cls_name)(thresholds=thresholds)


def test_class_id_needs_2d_predictions():
    m = lamina.metrics.Precision(class_id=1)
    with pytest.raises(
        ValueError,
        match=r"class_id.*2D.*y_pred.shape="
        r"\(4,\)",
    ):
        m.update_state([0, 1, 1, 0], [0.2, 0.6, 0.7, 0.1])


def test_single_threshold_result_is_scalar_and_a_copy():
    m = lamina.metrics.TruePositives()
    m.update_state([1, 1], [0.9, 0.8])
    first = m.result()
    assert first.shape == ()
    m.update_state([1], [0.9])
    assert float(first) == 2.0 and float(m.result()) == 3.0


@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
def test_class_id_takes_per_class_weights(rng, cls_name):
    # Keras fails to broadcast these; the result must equal the metric of
    # the sliced class with its sliced weights.
    batches = _batches(rng, (6, 4), (6, 4))
    ours = getattr(lamina.metrics, cls_name)(class_id=2)
    theirs = getattr(keras.metrics, cls_name)()
    sliced = [(t[:, 2:3], p[:, 2:3], w[:, 2:3]) for t, p, w in batches]
    for (t, p, w), (ts, ps, ws) in zip(batches, sliced):
        ours.update_state(as_torch(t), as_torch(p), sample_weight=as_torch(w))
        theirs.update_state(ts, ps, sample_weight=ws)
    assert_close(ours.result(), theirs.result())
