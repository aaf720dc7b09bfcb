import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.losses import parity


def _distributions(shape, rng):
    x = rng.uniform(0, 1, shape).astype("float32")
    return x / x.sum(-1, keepdims=True)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
@pytest.mark.parametrize("sw", [None, "batch", "batch1"])
def test_kld_matches_keras(reduction, sw):
    rng = np.random.default_rng(0)
    y_true = _distributions((5, 4), rng)
    y_true[0, 0] = 0.0  # clipped to epsilon
    y_pred = _distributions((5, 4), rng)
    weights = parity.sample_weight(sw, (5,), rng)
    parity.compare_class(
        "KLDivergence",
        {"reduction": reduction},
        y_true,
        y_pred,
        weights,
        grad=True,
    )


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
@pytest.mark.parametrize("sw", [None, "batch", "batch1"])
def test_poisson_matches_keras(reduction, sw):
    rng = np.random.default_rng(1)
    y_true = rng.poisson(2.0, (5, 3)).astype("float32")
    y_pred = rng.uniform(0, 4, (5, 3)).astype("float32")
    weights = parity.sample_weight(sw, (5,), rng)
    parity.compare_class(
        "Poisson", {"reduction": reduction}, y_true, y_pred, weights, grad=True
    )


@pytest.mark.parametrize("fn", ["kl_divergence", "poisson"])
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 4)])
def test_functions_match_keras(fn, shape):
    rng = np.random.default_rng(2)
    parity.compare_function(
        fn,
        {},
        _distributions(shape, rng),
        _distributions(shape, rng),
        grad=True,
    )


@pytest.mark.parametrize("fn", ["kl_divergence", "poisson"])
def test_mismatched_shapes_raise(fn):
    with pytest.raises(ValueError, match=rf"`{fn}`"):
        getattr(lamina.losses, fn)(np.ones((3, 2)), np.ones((3, 4)))


@pytest.mark.parametrize("q", [0.3, 0.7])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", None])
def test_generalized_cross_entropy_matches_keras(q, reduction):
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 3, (6,)).astype("int64")
    probs = _distributions((6, 3), rng)
    parity.compare_class(
        "CategoricalGeneralizedCrossEntropy",
        {"q": q, "reduction": reduction},
        labels,
        probs,
        grad=True,
    )
    parity.compare_function(
        "categorical_generalized_cross_entropy", {"q": q}, labels, probs
    )


def test_generalized_cross_entropy_column_labels():
    # (batch, 1) labels: the documented shape, read as (batch,).
    probs = torch.tensor([[0.75, 0.25], [0.2, 0.8]])
    flat = lamina.losses.categorical_generalized_cross_entropy(
        torch.tensor([1, 0]), probs, q=0.5
    )
    column = lamina.losses.categorical_generalized_cross_entropy(
        torch.tensor([[1], [0]]), probs, q=0.5
    )
    torch.testing.assert_close(flat, column)


@pytest.mark.parametrize("q", [0.0, 1.0, -0.5])
def test_generalized_cross_entropy_bad_q(q):
    with pytest.raises(ValueError, match=r"`q`.*\(0, 1\).*Received: q="):
        lamina.losses.CategoricalGeneralizedCrossEntropy(q=q)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("KLDivergence", {}),
        ("Poisson", {}),
        ("CategoricalGeneralizedCrossEntropy", {"q": 0.25}),
    ],
)
def test_config_matches_keras(name, kwargs):
    parity.compare_config(name, kwargs)


def test_keras_alias_names():
    assert lamina.losses.get("kld") is lamina.losses.kl_divergence
    assert keras.losses.get("kld").__name__ == "kl_divergence"
