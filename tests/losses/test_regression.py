import numpy as np
import pytest

import lamina
from tests.losses import parity

CLASSES = {
    "MeanSquaredError": "mean_squared_error",
    "MeanAbsoluteError": "mean_absolute_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
}
# "mean" and "none" share code with these; test_loss.py covers them all.
REDUCTIONS = ["sum_over_batch_size", "sum", "mean_with_sample_weight", None]


def _inputs(shape_true, shape_pred, seed=0):
    rng = np.random.default_rng(seed)
    y_true = rng.uniform(-1, 2, shape_true).astype("float32")
    y_pred = rng.uniform(-1, 2, shape_pred).astype("float32")
    return y_true, y_pred


@pytest.mark.parametrize("name", sorted(CLASSES))
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("sw", [None, "scalar", "batch", "batch1"])
def test_class_matches_keras(name, reduction, sw):
    y_true, y_pred = _inputs((4, 3), (4, 3))
    weights = parity.sample_weight(sw, (4,), np.random.default_rng(1))
    parity.compare_class(
        name, {"reduction": reduction}, y_true, y_pred, weights, grad=True
    )


@pytest.mark.parametrize("name", sorted(CLASSES))
@pytest.mark.parametrize("sw", [None, "batch1", "full"])
@pytest.mark.parametrize(
    "reduction", ["sum_over_batch_size", "mean_with_sample_weight"]
)
def test_per_timestep_matches_keras(name, sw, reduction):
    y_true, y_pred = _inputs((2, 5, 3), (2, 5, 3), seed=3)
    weights = parity.sample_weight(sw, (2, 5), np.random.default_rng(2))
    parity.compare_class(
        name, {"reduction": reduction}, y_true, y_pred, weights
    )


@pytest.mark.parametrize("fn", sorted(CLASSES.values()))
@pytest.mark.parametrize(
    "shapes",
    [
        ((4, 3), (4, 3)),
        ((4,), (4, 1)),
        ((4, 1), (4,)),
        ((5,), (5,)),
        ((2, 3, 4), (2, 3, 4)),
        ((4, 1), (4, 3)),
    ],
)
def test_function_matches_keras(fn, shapes):
    y_true, y_pred = _inputs(*shapes, seed=5)
    parity.compare_function(fn, {}, y_true, y_pred, grad=True)


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_rank_alignment_in_class(name):
    # (batch,) labels against (batch, 1) predictions compare per sample.
    y_true, y_pred = _inputs((6,), (6, 1), seed=7)
    out = parity.compare_class(name, {"reduction": None}, y_true, y_pred)
    assert tuple(out.shape) == (6,)


def test_mape_and_msle_edge_values():
    y_true = np.array([[0.0, 1.0, -2.0]], dtype="float32")
    y_pred = np.array([[0.5, -3.0, 0.0]], dtype="float32")
    for fn in (
        "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error",
    ):
        parity.compare_function(fn, {}, y_true, y_pred, rtol=1e-5)


@pytest.mark.parametrize("fn", sorted(CLASSES.values()))
def test_mismatched_shapes_raise(fn):
    y_true, y_pred = _inputs((4, 3), (4, 5))
    with pytest.raises(ValueError, match=rf"`{fn}`.*\(4, 3\).*\(4, 5\)"):
        getattr(lamina.losses, fn)(y_true, y_pred)


def test_mismatched_shapes_raise_in_class():
    y_true, y_pred = _inputs((4, 3), (4, 5))
    with pytest.raises(ValueError, match="y_true.shape=.*y_pred.shape="):
        lamina.losses.MeanSquaredError()(y_true, y_pred)


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_config_matches_keras(name):
    parity.compare_config(name, {})
    parity.compare_config(name, {"reduction": "sum", "name": "custom"})


def test_float64_function_keeps_dtype():
    y_true, y_pred = _inputs((3, 2), (3, 2))
    parity.compare_function(
        "mean_squared_error",
        {},
        y_true.astype("float64"),
        y_pred.astype("float64"),
    )
