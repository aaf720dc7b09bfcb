import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config

CLASSES = [
    "MeanSquaredError",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError",
    "RootMeanSquaredError",
    "LogCoshError",
    "CosineSimilarity",
]
SHAPES = [
    # (y_true shape, y_pred shape, sample_weight shape or None)
    ((6, 3), (6, 3), None),
    ((6, 3), (6, 3), (6,)),
    ((6, 3), (6, 3), (6, 1)),
    ((6,), (6, 1), (6,)),
    ((4, 2, 3), (4, 2, 3), (4, 2)),
]


def _batches(rng, true_shape, pred_shape, weight_shape):
    batches = []
    for _ in range(3):
        y_true = rng.normal(size=true_shape).astype("float32")
        y_true[..., :1] = 0.0  # MAPE's epsilon clamp and MSLE's floor.
        y_pred = rng.normal(size=pred_shape).astype("float32")
        weights = (
            None
            if weight_shape is None
            else rng.uniform(size=weight_shape).astype("float32")
        )
        batches.append((y_true, y_pred, weights))
    return batches


@pytest.mark.parametrize("cls_name", CLASSES)
@pytest.mark.parametrize("true_shape,pred_shape,weight_shape", SHAPES)
def test_matches_keras(rng, cls_name, true_shape, pred_shape, weight_shape):
    batches = _batches(rng, true_shape, pred_shape, weight_shape)
    check_against_keras(
        getattr(lamina.metrics, cls_name)(),
        getattr(keras.metrics, cls_name)(),
        batches,
        rtol=2e-5,
    )


def test_cosine_similarity_axis_matches_keras(rng):
    batches = _batches(rng, (3, 4, 5), (3, 4, 5), (3,))
    check_against_keras(
        lamina.metrics.CosineSimilarity(axis=1),
        keras.metrics.CosineSimilarity(axis=1),
        batches,
    )


FUNCTIONS = [
    "mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "log_cosh",
]


@pytest.mark.parametrize("fn_name", FUNCTIONS)
def test_functions_match_keras(rng, fn_name):
    y_true = rng.normal(size=(5, 4)).astype("float32")
    y_pred = (y_true + rng.normal(size=(5, 4)) * 30).astype("float32")
    ours = getattr(lamina.metrics, fn_name)(
        torch.as_tensor(y_true), torch.as_tensor(y_pred)
    )
    theirs = getattr(keras.metrics, fn_name)(y_true, y_pred)
    np.testing.assert_allclose(ours.numpy(), to_numpy(theirs), rtol=1e-5)


def test_integer_inputs_give_float_results():
    m = lamina.metrics.MeanSquaredError()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    assert float(m.result()) == 0.25


@pytest.mark.parametrize("cls_name", CLASSES)
def test_config_matches_keras(cls_name):
    check_config(
        getattr(lamina.metrics, cls_name)(name="r", dtype="float64"),
        getattr(keras.metrics, cls_name)(name="r", dtype="float64"),
    )


@pytest.mark.parametrize("cls_name", CLASSES)
def test_mismatched_shapes_raise(cls_name):
    m = getattr(lamina.metrics, cls_name)(name="bad")
    with pytest.raises(
        ValueError,
        match=r"'bad'.*same shape.*"
        r"y_true.shape=\(4, 3\).*"
        r"y_pred.shape=\(4, 2\)",
    ):
        m.update_state(np.zeros((4, 3)), np.ones((4, 2)))


def test_rmse_takes_elementwise_weights(rng):
    batches = _batches(rng, (6, 3), (6, 3), (6, 3))
    check_against_keras(
        lamina.metrics.RootMeanSquaredError(),
        keras.metrics.RootMeanSquaredError(),
        batches,
    )


def test_weights_that_do_not_broadcast_raise():
    m = lamina.metrics.MeanSquaredError(name="mse")
    with pytest.raises(
        ValueError,
        match=r"MeanSquaredError 'mse'.*"
        r"sample_weight.shape=\(6, 3\)",
    ):
        m.update_state(
            np.zeros((6, 3)), np.ones((6, 3)), sample_weight=np.ones((6, 3))
        )
