import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.losses import parity


def _inputs(shape, seed=0):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=shape).astype("float32"),
        rng.normal(size=shape).astype("float32"),
    )


@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
@pytest.mark.parametrize("sw", [None, "batch"])
def test_cosine_class_matches_keras(axis, reduction, sw):
    y_true, y_pred = _inputs((4, 5))
    weights = parity.sample_weight(sw, (4,), np.random.default_rng(1))
    parity.compare_class(
        "CosineSimilarity",
        {"axis": axis, "reduction": reduction},
        y_true,
        y_pred,
        weights,
        grad=True,
    )


@pytest.mark.parametrize("axis", [-1, 1, 2])
def test_cosine_function_matches_keras(axis):
    y_true, y_pred = _inputs((2, 3, 4), seed=3)
    y_pred[0, 0] = 0.0  # a zero vector stays finite
    parity.compare_function(
        "cosine_similarity", {"axis": axis}, y_true, y_pred, grad=True
    )


def test_cosine_mismatched_shapes_raise():
    with pytest.raises(ValueError, match="`cosine_similarity`"):
        lamina.losses.cosine_similarity(np.ones((3, 4)), np.ones((3, 5)))


def test_cosine_config_keeps_axis():
    ours = lamina.losses.CosineSimilarity(axis=1)
    theirs = keras.losses.CosineSimilarity(axis=1)
    assert ours.get_config() == {**theirs.get_config(), "axis": 1}
    assert lamina.losses.deserialize(lamina.losses.serialize(ours)).axis == 1


def _embeddings(batch, dim, seed):
    x = np.random.default_rng(seed).normal(size=(batch, dim))
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype("float32")


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"gamma": 10.0, "margin": 0.25}, {"remove_diagonal": False}],
)
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
def test_circle_class_matches_keras(kwargs, reduction):
    labels = np.array([0, 1, 0, 2, 1, 0], dtype="int32")
    emb = _embeddings(6, 4, seed=5)
    parity.compare_class(
        "Circle",
        {**kwargs, "reduction": reduction},
        labels,
        emb,
        grad=True,
        rtol=1e-4,
        atol=1e-5,
    )


def test_circle_function_with_references_matches_keras():
    labels = np.array([0, 1, 2, 1], dtype="int32")
    emb = _embeddings(4, 3, seed=1)
    refs = _embeddings(5, 3, seed=2)
    ref_labels = np.array([1, 1, 0, 2, 2], dtype="int32")
    kwargs = {
        "ref_labels": ref_labels,
        "ref_embeddings": refs,
        "remove_diagonal": False,
        "gamma": 20,
    }
    out = parity.compare_function(
        "circle", kwargs, labels, emb, rtol=1e-4, atol=1e-5
    )
    assert torch.equal(out._keras_mask, out > 0)


def test_circle_config_matches_keras():
    parity.compare_config("Circle", {"gamma": 32.0, "margin": 0.3})
