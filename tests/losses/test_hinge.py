import numpy as np
import pytest

import lamina
from tests.losses import parity


def _labels(kind, shape, rng):
    if kind == "binary":
        return rng.integers(0, 2, shape).astype("float32")
    if kind == "signed":
        return (2 * rng.integers(0, 2, shape) - 1).astype("float32")
    return rng.normal(size=shape).astype("float32")  # left unconverted


@pytest.mark.parametrize("name", ["Hinge", "SquaredHinge"])
@pytest.mark.parametrize("labels", ["binary", "signed", "other"])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", None])
@pytest.mark.parametrize("sw", [None, "batch1"])
def test_hinge_classes_match_keras(name, labels, reduction, sw):
    rng = np.random.default_rng(0)
    y_true = _labels(labels, (5, 3), rng)
    y_pred = rng.normal(size=(5, 3)).astype("float32")
    weights = parity.sample_weight(sw, (5,), rng)
    parity.compare_class(
        name, {"reduction": reduction}, y_true, y_pred, weights, grad=True
    )


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
@pytest.mark.parametrize("sw", [None, "batch"])
@pytest.mark.parametrize("signed", [False, True])
def test_categorical_hinge_matches_keras(reduction, sw, signed):
    rng = np.random.default_rng(1)
    y_true = np.eye(4, dtype="float32")[rng.integers(0, 4, 6)]
    if signed:
        y_true = 2 * y_true - 1
    y_pred = rng.normal(size=(6, 4)).astype("float32")
    weights = parity.sample_weight(sw, (6,), rng)
    parity.compare_class(
        "CategoricalHinge",
        {"reduction": reduction},
        y_true,
        y_pred,
        weights,
        grad=True,
    )


@pytest.mark.parametrize("fn", ["hinge", "squared_hinge", "categorical_hinge"])
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 4), (6,)])
def test_functions_match_keras(fn, shape):
    rng = np.random.default_rng(2)
    y_true = _labels("binary", shape, rng)
    y_pred = rng.normal(size=shape).astype("float32")
    parity.compare_function(fn, {}, y_true, y_pred, grad=True)


def test_label_conversion_is_traceable():
    # The binary-label check must not read values back to the host.
    import torch._dynamo

    def step(y_true, y_pred):
        return lamina.losses.Hinge()(y_true, y_pred)

    explained = torch._dynamo.explain(step)(
        torch.tensor([[0.0, 1.0]]), torch.tensor([[0.3, -0.2]])
    )
    assert explained.graph_break_count == 0


@pytest.mark.parametrize("fn", ["hinge", "squared_hinge", "categorical_hinge"])
def test_mismatched_shapes_raise(fn):
    with pytest.raises(ValueError, match=rf"`{fn}`.*\(3, 2\).*\(3, 4\)"):
        getattr(lamina.losses, fn)(np.ones((3, 2)), np.ones((3, 4)))


@pytest.mark.parametrize("name", ["Hinge", "SquaredHinge", "CategoricalHinge"])
def test_config_matches_keras(name):
    parity.compare_config(name, {})
