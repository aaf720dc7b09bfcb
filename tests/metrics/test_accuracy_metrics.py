import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config


def _binary(rng, shape):
    return (
        (rng.uniform(size=shape) > 0.5).astype("float32"),
        rng.uniform(size=shape).astype("float32"),
    )


def _one_hot(rng, shape):
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    scores = rng.normal(size=shape).astype("float32")
    return np.eye(shape[-1], dtype="float32")[labels], scores


def _sparse(rng, shape, label_shape=None):
    labels = rng.integers(0, shape[-1], size=label_shape or shape[:-1])
    return labels, rng.normal(size=shape).astype("float32")


def _exact(rng, shape):
    y_true = rng.integers(0, 3, size=shape).astype("float32")
    y_pred = np.where(
        rng.uniform(size=shape) > 0.4, y_true, rng.integers(0, 3, size=shape)
    ).astype("float32")
    return y_true, y_pred


CASES = [
    # (class name, constructor kwargs, batch maker, y_pred shape, label shape)
    ("Accuracy", {}, _exact, (8, 3), None),
    ("Accuracy", {}, _exact, (8, 1), None),
    ("BinaryAccuracy", {}, _binary, (8, 1), None),
    ("BinaryAccuracy", {"threshold": 0.7}, _binary, (8, 4), None),
    ("BinaryAccuracy", {}, _binary, (8,), None),
    ("CategoricalAccuracy", {}, _one_hot, (8, 5), None),
    ("CategoricalAccuracy", {}, _one_hot, (4, 3, 5), None),
    ("SparseCategoricalAccuracy", {}, _sparse, (8, 5), None),
    ("SparseCategoricalAccuracy", {}, _sparse, (8, 5), (8, 1)),
    ("SparseCategoricalAccuracy", {}, _sparse, (4, 3, 5), None),
    ("TopKCategoricalAccuracy", {"k": 2}, _one_hot, (8, 5), None),
    ("TopKCategoricalAccuracy", {}, _one_hot, (4, 3, 6), None),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, _sparse, (8, 5), None),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, _sparse, (8, 5), (8, 1)),
]


def _make_batches(rng, maker, shape, label_shape, weighted):
    batches = []
    for _ in range(3):
        if label_shape is None:
            y_true, y_pred = maker(rng, shape)
        else:
            y_true, y_pred = maker(rng, shape, label_shape)
        weights = (
            rng.uniform(size=shape[:1]).astype("float32")
            if (weighted)
            else None
        )
        batches.append((y_true, y_pred, weights))
    return batches


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cls_name,kwargs,maker,shape,label_shape", CASES)
def test_matches_keras(
    rng, cls_name, kwargs, maker, shape, label_shape, weighted
):
    batches = _make_batches(rng, maker, shape, label_shape, weighted)
    ours = getattr(lamina.metrics, cls_name)(**kwargs)
    theirs = getattr(keras.metrics, cls_name)(**kwargs)
    check_against_keras(ours, theirs, batches)


def test_sparse_top_k_from_sorted_ids_matches_keras(rng):
    batches = []
    for _ in range(3):
        y_true = rng.integers(0, 10, size=(8,))
        y_pred = np.stack([rng.permutation(10)[:4] for _ in range(8)])
        batches.append((y_true, y_pred, rng.uniform(size=(8,))))
    ours = lamina.metrics.SparseTopKCategoricalAccuracy(
        k=2, from_sorted_ids=True
    )
    theirs = keras.metrics.SparseTopKCategoricalAccuracy(
        k=2, from_sorted_ids=True
    )
    check_against_keras(ours, theirs, batches)


def test_top_k_counts_ties_as_keras(rng):
    y_true = np.array([0, 1, 2])
    y_pred = np.array(
        [[0.5, 0.5, 0.1], [0.2, 0.2, 0.2], [0.1, 0.3, 0.3]], "float32"
    )
    for k in (1, 2):
        ours = lamina.metrics.sparse_top_k_categorical_accuracy(
            torch.as_tensor(y_true), torch.as_tensor(y_pred), k=k
        )
        theirs = keras.metrics.sparse_top_k_categorical_accuracy(
            y_true, y_pred, k=k
        )
        np.testing.assert_array_equal(ours.numpy(), to_numpy(theirs))


FUNCTIONS = [
    ("binary_accuracy", _binary, (6, 2)),
    ("categorical_accuracy", _one_hot, (6, 4)),
    ("sparse_categorical_accuracy", _sparse, (6, 4)),
    ("top_k_categorical_accuracy", _one_hot, (6, 7)),
    ("sparse_top_k_categorical_accuracy", _sparse, (6, 7)),
]


@pytest.mark.parametrize("fn_name,maker,shape", FUNCTIONS)
def test_functions_match_keras(rng, fn_name, maker, shape):
    y_true, y_pred = maker(rng, shape)
    ours = getattr(lamina.metrics, fn_name)(
        torch.as_tensor(y_true), torch.as_tensor(y_pred)
    )
    theirs = getattr(keras.metrics, fn_name)(y_true, y_pred)
    assert ours.dtype == torch.float32
    np.testing.assert_array_equal(ours.numpy(), to_numpy(theirs))


CONFIGS = [
    ("Accuracy", {"name": "a"}),
    ("BinaryAccuracy", {"name": "b", "threshold": 0.3}),
    ("CategoricalAccuracy", {"name": "c", "dtype": "float64"}),
    ("SparseCategoricalAccuracy", {"name": "d"}),
    ("TopKCategoricalAccuracy", {"name": "e", "k": 3}),
    ("SparseTopKCategoricalAccuracy", {"name": "f", "k": 2}),
    ("SparseTopKCategoricalAccuracy", {"name": "g", "from_sorted_ids": True}),
]


@pytest.mark.parametrize("cls_name,kwargs", CONFIGS)
def test_config_matches_keras(cls_name, kwargs):
    check_config(
        getattr(lamina.metrics, cls_name)(**kwargs),
        getattr(keras.metrics, cls_name)(**kwargs),
    )


BAD_SHAPES = [
    ("BinaryAccuracy", (4, 3), (4, 2), r"binary_accuracy"),
    ("Accuracy", (4,), (5,), r"`accuracy`"),
    ("CategoricalAccuracy", (4, 3), (4, 5), r"categorical_accuracy"),
    (
        "SparseCategoricalAccuracy",
        (5,),
        (4, 3),
        r"sparse_categorical_accuracy.*y_true.shape=\(5,\)",
    ),
    ("TopKCategoricalAccuracy", (4, 3), (4, 6), r"top_k_categorical"),
    ("SparseTopKCategoricalAccuracy", (3,), (4, 6), r"one label"),
]


@pytest.mark.parametrize("cls_name,true_shape,pred_shape,match", BAD_SHAPES)
def test_mismatched_shapes_raise(cls_name, true_shape, pred_shape, match):
    metric = getattr(lamina.metrics, cls_name)(name="bad")
    with pytest.raises(ValueError, match=rf"{cls_name} 'bad'.*{match}"):
        metric.update_state(np.zeros(true_shape), np.zeros(pred_shape))


def test_sparse_categorical_accuracy_hot_path_is_few_ops():
    # The per-step cost: argmax, eq, cast, sum and two in-place adds.
    m = lamina.metrics.SparseCategoricalAccuracy()
    y_true = torch.tensor([0, 1, 2, 1])
    y_pred = torch.eye(3)[[0, 1, 1, 1]]
    with torch.profiler.profile() as prof:
        m.update_state(y_true, y_pred)
    ops = [
        e.name
        for e in prof.events()
        if e.name.startswith("aten::") and e.cpu_parent is None
    ]
    assert len(ops) <= 8, ops
    assert float(m.result()) == 0.75
