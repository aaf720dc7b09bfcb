import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config


def _probabilities(rng, shape):
    p = rng.uniform(size=shape).astype("float32")
    p.reshape(-1)[:2] = [0.0, 1.0]  # The epsilon clipping.
    return p


def _binary(rng, shape, logits):
    y_true = (rng.uniform(size=shape) > 0.5).astype("float32")
    y_pred = (
        rng.normal(size=shape).astype("float32") * 3
        if logits
        else (_probabilities(rng, shape))
    )
    return y_true, y_pred


def _categorical(rng, shape, logits):
    y_true = np.eye(shape[-1], dtype="float32")[
        rng.integers(0, shape[-1], size=shape[:-1])
    ]
    y_pred = (
        rng.normal(size=shape).astype("float32")
        if logits
        else (_probabilities(rng, shape))
    )
    return y_true, y_pred


def _sparse(rng, shape, logits):
    y_true = rng.integers(0, shape[-1], size=shape[:-1])
    y_pred = (
        rng.normal(size=shape).astype("float32")
        if logits
        else (_probabilities(rng, shape))
    )
    return y_true, y_pred


def _distribution(rng, shape, logits):
    y_true = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]).astype(
        "float32"
    )
    y_pred = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]).astype(
        "float32"
    )
    return y_true, y_pred


def _counts(rng, shape, logits):
    return (
        rng.poisson(2.0, size=shape).astype("float32"),
        rng.uniform(0.1, 4, size=shape).astype("float32"),
    )


CASES = [
    ("BinaryCrossentropy", {}, _binary, (6, 3)),
    ("BinaryCrossentropy", {"from_logits": True}, _binary, (6, 1)),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, _binary, (6, 2)),
    ("CategoricalCrossentropy", {}, _categorical, (6, 4)),
    (
        "CategoricalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        _categorical,
        (3, 2, 4),
    ),
    (
        "CategoricalCrossentropy",
        {"axis": 1, "from_logits": True},
        _categorical,
        (6, 4),
    ),
    ("SparseCategoricalCrossentropy", {}, _sparse, (6, 4)),
    (
        "SparseCategoricalCrossentropy",
        {"from_logits": True},
        _sparse,
        (3, 2, 5),
    ),
    ("KLDivergence", {}, _distribution, (6, 4)),
    ("Poisson", {}, _counts, (6, 3)),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cls_name,kwargs,maker,shape", CASES)
def test_matches_keras(rng, cls_name, kwargs, maker, shape, weighted):
    batches = []
    for _ in range(3):
        y_true, y_pred = maker(rng, shape, kwargs.get("from_logits", False))
        weights = (
            rng.uniform(size=shape[:1]).astype("float32")
            if (weighted)
            else None
        )
        batches.append((y_true, y_pred, weights))
    check_against_keras(
        getattr(lamina.metrics, cls_name)(**kwargs),
        getattr(keras.metrics, cls_name)(**kwargs),
        batches,
    )


@pytest.mark.parametrize("weight_shape", [None, (4, 3)])
def test_sparse_ignore_class_matches_keras(rng, weight_shape):
    batches = []
    for _ in range(3):
        y_true = rng.integers(-1, 5, size=(4, 3))
        y_pred = rng.normal(size=(4, 3, 5)).astype("float32")
        weights = (
            None
            if weight_shape is None
            else rng.uniform(size=weight_shape).astype("float32")
        )
        batches.append((y_true, y_pred, weights))
    kwargs = {"ignore_class": -1, "from_logits": True}
    check_against_keras(
        lamina.metrics.SparseCategoricalCrossentropy(**kwargs),
        keras.metrics.SparseCategoricalCrossentropy(**kwargs),
        batches,
    )


FUNCTIONS = [
    ("binary_crossentropy", _binary, {}),
    ("binary_crossentropy", _binary, {"from_logits": True}),
    ("categorical_crossentropy", _categorical, {}),
    ("sparse_categorical_crossentropy", _sparse, {}),
    ("sparse_categorical_crossentropy", _sparse, {"from_logits": True}),
    ("kl_divergence", _distribution, {}),
    ("poisson", _counts, {}),
]


@pytest.mark.parametrize("fn_name,maker,kwargs", FUNCTIONS)
def test_functions_match_keras(rng, fn_name, maker, kwargs):
    y_true, y_pred = maker(rng, (5, 4), kwargs.get("from_logits", False))
    ours = getattr(lamina.metrics, fn_name)(
        torch.as_tensor(y_true), torch.as_tensor(y_pred), **kwargs
    )
    theirs = getattr(keras.metrics, fn_name)(
        keras.ops.convert_to_tensor(y_true), y_pred, **kwargs
    )
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(theirs), rtol=1e-5, atol=1e-6
    )


CONFIGS = [
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("CategoricalCrossentropy", {"axis": 1, "label_smoothing": 0.2}),
    ("SparseCategoricalCrossentropy", {"ignore_class": 0, "from_logits": True}),
    ("KLDivergence", {}),
    ("Poisson", {"dtype": "float64"}),
]


@pytest.mark.parametrize("cls_name,kwargs", CONFIGS)
def test_config_matches_keras(cls_name, kwargs):
    check_config(
        getattr(lamina.metrics, cls_name)(name="p", **kwargs),
        getattr(keras.metrics, cls_name)(name="p", **kwargs),
    )


BAD = [
    ("BinaryCrossentropy", (4, 3), (4, 2), r"binary_crossentropy"),
    ("CategoricalCrossentropy", (4, 3), (4, 2), r"categorical_crossentropy"),
    (
        "SparseCategoricalCrossentropy",
        (5,),
        (4, 3),
        r"sparse_categorical_crossentropy.*y_true.shape=\(5,\)",
    ),
    ("KLDivergence", (4, 3), (4, 2), r"kl_divergence"),
    ("Poisson", (4, 3), (3, 3), r"poisson"),
]


@pytest.mark.parametrize("cls_name,true_shape,pred_shape,match", BAD)
def test_mismatched_shapes_raise(cls_name, true_shape, pred_shape, match):
    m = getattr(lamina.metrics, cls_name)(name="bad")
    with pytest.raises(ValueError, match=rf"{cls_name} 'bad'.*{match}"):
        m.update_state(np.zeros(true_shape), np.full(pred_shape, 0.5))


def test_categorical_crossentropy_warns_on_one_class():
    with pytest.warns(SyntaxWarning, match="num_classes > 1"):
        lamina.metrics.categorical_crossentropy(
            torch.ones(3, 1), torch.ones(3, 1)
        )


def test_categorical_crossentropy_rejects_bool_axis():
    with pytest.raises(
        ValueError,
        match=r"`axis` of categorical_"
        r"crossentropy.*Received: axis=True",
    ):
        lamina.metrics.categorical_crossentropy(
            torch.ones(3, 2), torch.ones(3, 2), axis=True
        )
