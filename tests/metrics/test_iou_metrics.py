import warnings

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config


def _ids(rng, shape, num_classes, low=0):
    return rng.integers(low, num_classes, size=shape)


def _one_hot(rng, shape, num_classes):
    return np.eye(num_classes, dtype="float32")[_ids(rng, shape, num_classes)]


def _scores(rng, shape, num_classes):
    return rng.uniform(size=shape + (num_classes,)).astype("float32")


def _weights(rng, shape, dtype):
    if dtype is None:  # Integer state: integer weights.
        return rng.integers(0, 3, size=shape)
    return rng.uniform(size=shape).astype("float32")


CASES = [
    # (class, kwargs, make y_true, make y_pred)
    (
        "IoU",
        {"num_classes": 3, "target_class_ids": [0, 2]},
        lambda r, s: _ids(r, s, 3),
        lambda r, s: _ids(r, s, 3),
    ),
    (
        "IoU",
        {"num_classes": 4, "target_class_ids": [1], "ignore_class": 0},
        lambda r, s: _ids(r, s, 4),
        lambda r, s: _ids(r, s, 4),
    ),
    (
        "MeanIoU",
        {"num_classes": 3},
        lambda r, s: _ids(r, s, 4, low=-1),
        lambda r, s: _ids(r, s, 3),
    ),
    (
        "MeanIoU",
        {"num_classes": 3, "sparse_y_pred": False},
        lambda r, s: _ids(r, s, 3),
        lambda r, s: _scores(r, s, 3),
    ),
    (
        "MeanIoU",
        {"num_classes": 5},  # Classes missing from the data.
        lambda r, s: _ids(r, s, 2),
        lambda r, s: _ids(r, s, 2),
    ),
    (
        "OneHotIoU",
        {"num_classes": 3, "target_class_ids": [1, 2]},
        lambda r, s: _one_hot(r, s, 3),
        lambda r, s: _scores(r, s, 3),
    ),
    (
        "OneHotMeanIoU",
        {"num_classes": 3, "ignore_class": 1},
        lambda r, s: _one_hot(r, s, 3),
        lambda r, s: _scores(r, s, 3),
    ),
    (
        "OneHotMeanIoU",
        {"num_classes": 3, "sparse_y_pred": True},
        lambda r, s: _one_hot(r, s, 3),
        lambda r, s: _ids(r, s, 3),
    ),
    (
        "BinaryIoU",
        {},
        lambda r, s: _ids(r, s, 2),
        lambda r, s: r.uniform(size=s),
    ),
    (
        "BinaryIoU",
        {"target_class_ids": [1], "threshold": 0.3},
        lambda r, s: _ids(r, s, 2),
        lambda r, s: r.uniform(size=s),
    ),
]


@pytest.mark.parametrize("dtype", [None, "float32"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cls_name,kwargs,make_true,make_pred", CASES)
def test_matches_keras(
    rng, cls_name, kwargs, make_true, make_pred, weighted, dtype
):
    batches = []
    for _ in range(3):
        weights = _weights(rng, (4, 5), dtype) if weighted else None
        batches.append(
            (make_true(rng, (4, 5)), make_pred(rng, (4, 5)), weights)
        )
    kwargs = dict(kwargs, dtype=dtype)
    check_against_keras(
        getattr(lamina.metrics, cls_name)(**kwargs),
        getattr(keras.metrics, cls_name)(**kwargs),
        batches,
    )


def test_float_weights_with_integer_state_warn_as_keras():
    m = lamina.metrics.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="weight as `float`"):
        m.update_state(
            np.array([0, 1]),
            np.array([0, 1]),
            sample_weight=np.array([0.5, 1.0]),
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.update_state(
            np.array([0, 1]), np.array([0, 1]), sample_weight=np.array([2, 1])
        )


CONFIGS = [
    (
        "IoU",
        {
            "num_classes": 3,
            "target_class_ids": [0, 1],
            "ignore_class": 2,
            "sparse_y_pred": False,
            "axis": 1,
        },
    ),
    ("MeanIoU", {"num_classes": 4, "dtype": "float32"}),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.2}),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [2]}),
    ("OneHotMeanIoU", {"num_classes": 3, "sparse_y_pred": True}),
]


@pytest.mark.parametrize("cls_name,kwargs", CONFIGS)
def test_config_matches_keras(cls_name, kwargs):
    check_config(
        getattr(lamina.metrics, cls_name)(name="iou", **kwargs),
        getattr(keras.metrics, cls_name)(name="iou", **kwargs),
    )


def test_bad_arguments_raise():
    with pytest.raises(
        ValueError,
        match=r"`target_class_ids` of IoU.*"
        r"\[0, 3\).*Received: "
        r"target_class_ids=\[0, 3\]",
    ):
        lamina.metrics.IoU(num_classes=3, target_class_ids=[0, 3])
    with pytest.raises(
        ValueError,
        match=r"`num_classes` of MeanIoU.*"
        r"Received: num_classes=0",
    ):
        lamina.metrics.MeanIoU(num_classes=0)


def test_mismatched_inputs_raise():
    m = lamina.metrics.MeanIoU(num_classes=3, name="miou")
    with pytest.raises(ValueError, match=r"MeanIoU 'miou'.*4 and 5 ids"):
        m.update_state(np.zeros(4), np.zeros(5))
    with pytest.raises(
        ValueError,
        match=r"MeanIoU 'miou'.*sample "
        r"weight.*\(3,\)",
    ):
        m.update_state(
            np.zeros(4), np.zeros(4), sample_weight=np.ones(3, dtype="int64")
        )
