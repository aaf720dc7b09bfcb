import numpy as np
import pytest

import lamina
from tests.losses import parity


def _masks(shape, seed=0):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, shape).astype("float32")
    y_pred = rng.uniform(0, 1, shape).astype("float32")
    return y_true, y_pred


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("Dice", {}),
        ("Dice", {"axis": (1, 2, 3)}),
        ("Dice", {"axis": [1, 2]}),
        ("Tversky", {}),
        ("Tversky", {"alpha": 0.3, "beta": 0.7}),
        ("Tversky", {"axis": (1, 2, 3)}),
    ],
)
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
@pytest.mark.parametrize("sw", [None, "batch"])
def test_classes_match_keras(name, kwargs, reduction, sw):
    y_true, y_pred = _masks((3, 4, 4, 1))
    weights = parity.sample_weight(sw, (3,), np.random.default_rng(1))
    parity.compare_class(
        name,
        {**kwargs, "reduction": reduction},
        y_true,
        y_pred,
        weights,
        grad=True,
    )


@pytest.mark.parametrize(
    "fn,kwargs",
    [
        ("dice", {}),
        ("dice", {"axis": 1}),
        ("tversky", {"alpha": 0.2}),
        ("tversky", {"axis": (1, 2), "beta": 0.9}),
    ],
)
def test_functions_match_keras(fn, kwargs):
    y_true, y_pred = _masks((2, 5, 3), seed=2)
    parity.compare_function(fn, kwargs, y_true, y_pred, grad=True)


@pytest.mark.parametrize("fn", ["dice", "tversky"])
def test_mismatched_shapes_raise(fn):
    with pytest.raises(ValueError, match=rf"`{fn}`"):
        getattr(lamina.losses, fn)(np.ones((2, 3)), np.ones((2, 4)))


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("Dice", {}),
        ("Dice", {"axis": (1, 2)}),
        ("Tversky", {"alpha": 0.1, "beta": 0.9, "axis": None}),
    ],
)
def test_config_matches_keras(name, kwargs):
    parity.compare_config(name, kwargs)
