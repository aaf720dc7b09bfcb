import numpy as np
import pytest

import lamina
from tests.losses import parity


def _inputs(seed=0):
    rng = np.random.default_rng(seed)
    labels = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [2, 0, 0, 0]], dtype="int32")
    logits = rng.normal(size=(3, 7, 4)).astype("float32")
    return labels, logits


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
@pytest.mark.parametrize("sw", [None, "batch"])
def test_class_matches_keras(reduction, sw):
    labels, logits = _inputs()
    weights = parity.sample_weight(sw, (3,), np.random.default_rng(1))
    parity.compare_class(
        "CTC",
        {"reduction": reduction},
        labels,
        logits,
        weights,
        grad=True,
        rtol=1e-5,
        atol=1e-5,
    )


def test_function_matches_keras():
    labels, logits = _inputs(seed=4)
    parity.compare_function("ctc", {}, labels, logits, grad=True, atol=1e-5)


@pytest.mark.parametrize(
    "labels_shape,logits_shape,match",
    [
        ((3,), (3, 7, 4), r"`y_true`.*Received: y_true.shape=\(3,\)"),
        ((3, 4), (3, 7), r"`y_pred`.*Received: y_pred.shape=\(3, 7\)"),
    ],
)
def test_bad_ranks_raise(labels_shape, logits_shape, match):
    with pytest.raises(ValueError, match=match):
        lamina.losses.ctc(
            np.ones(labels_shape, dtype="int32"),
            np.zeros(logits_shape, dtype="float32"),
        )


def test_config_matches_keras():
    parity.compare_config("CTC", {})
