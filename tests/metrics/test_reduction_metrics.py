import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.metrics.oracle import check_against_keras
from tests.metrics.oracle import check_config


def _values(rng, shape):
    return rng.normal(size=shape).astype("float32")


WEIGHT_SHAPES = [
    # (values shape, sample_weight shape or None)
    ((6,), None),
    ((6,), (6,)),
    ((6, 3), None),
    ((6, 3), (6,)),
    ((6, 3), (6, 1)),
    ((6, 3), (6, 3)),
    ((6, 3, 2), (6,)),
    ((6, 3, 2), (6, 3)),
    ((6, 3), ()),
    ((), None),
]


@pytest.mark.parametrize("cls_name", ["Mean", "Sum"])
@pytest.mark.parametrize("shape,weight_shape", WEIGHT_SHAPES)
def test_reduction_matches_keras(rng, cls_name, shape, weight_shape):
    batches = []
    for _ in range(3):
        weights = (
            None
            if weight_shape is None
            else rng.uniform(0, 2, size=weight_shape).astype("float32")
        )
        batches.append((_values(rng, shape), weights))
    ours = getattr(lamina.metrics, cls_name)(name="m")
    theirs = getattr(keras.metrics, cls_name)(name="m")
    check_against_keras(ours, theirs, batches)


@pytest.mark.parametrize("cls_name", ["Mean", "Sum"])
def test_reduction_config(cls_name):
    check_config(
        getattr(lamina.metrics, cls_name)(name="x", dtype="float64"),
        getattr(keras.metrics, cls_name)(name="x", dtype="float64"),
    )


def test_mean_takes_lists_and_python_numbers():
    m = lamina.metrics.Mean()
    m.update_state([1, 3, 5, 7])
    m.update_state(2.0)
    assert float(m.result()) == pytest.approx(18 / 5)


def test_mean_result_is_a_tensor_and_empty_mean_is_zero():
    m = lamina.metrics.Mean()
    result = m.result()
    assert isinstance(result, torch.Tensor) and float(result) == 0.0


def test_sum_result_is_a_copy():
    m = lamina.metrics.Sum()
    m.update_state([1.0, 2.0])
    first = m.result()
    m.update_state([4.0])
    assert float(first) == 3.0 and float(m.result()) == 7.0


def _squared_error(y_true, y_pred):
    return (y_true - y_pred) ** 2


@pytest.mark.parametrize("weight_shape", [None, (5,), (5, 1), (5, 4)])
def test_mean_metric_wrapper_matches_keras(rng, weight_shape):
    batches = []
    for _ in range(3):
        weights = (
            None
            if weight_shape is None
            else rng.uniform(0, 1, size=weight_shape).astype("float32")
        )
        batches.append((_values(rng, (5, 4)), _values(rng, (5, 4)), weights))
    ours = lamina.metrics.MeanMetricWrapper(_squared_error, name="se")
    theirs = keras.metrics.MeanMetricWrapper(_squared_error, name="se")
    check_against_keras(ours, theirs, batches)


def test_mean_metric_wrapper_forwards_kwargs(rng):
    y_true = (rng.uniform(size=(8, 1)) > 0.5).astype("float32")
    y_pred = rng.uniform(size=(8, 1)).astype("float32")
    ours = lamina.metrics.MeanMetricWrapper(
        lamina.metrics.binary_accuracy, threshold=0.2
    )
    theirs = keras.metrics.MeanMetricWrapper(
        keras.metrics.binary_accuracy, threshold=0.2
    )
    ours.update_state(torch.as_tensor(y_true), torch.as_tensor(y_pred))
    theirs.update_state(y_true, y_pred)
    assert float(ours.result()) == pytest.approx(float(theirs.result()))


def test_mean_metric_wrapper_config_round_trip():
    ours = lamina.metrics.MeanMetricWrapper(
        lamina.metrics.binary_accuracy, name="acc", threshold=0.3
    )
    theirs = keras.metrics.MeanMetricWrapper(
        keras.metrics.binary_accuracy, name="acc", threshold=0.3
    )
    check_config(ours, theirs)
    rebuilt = lamina.metrics.deserialize(lamina.metrics.serialize(ours))
    assert rebuilt._fn is lamina.metrics.binary_accuracy
    assert rebuilt._fn_kwargs == {"threshold": 0.3}


def test_mean_metric_wrapper_applies_keras_mask():
    y_true = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    y_pred = torch.tensor([[1.0], [0.0], [3.0], [0.0]])
    mask = torch.tensor([True, False, True, True])
    ours = lamina.metrics.MeanMetricWrapper(_squared_error)
    y_pred._keras_mask = mask
    ours.update_state(y_true, y_pred)
    # Keras attaches masks the same way on its torch backend.
    theirs = keras.metrics.MeanMetricWrapper(_squared_error)
    theirs.update_state(y_true, y_pred)
    assert float(ours.result()) == pytest.approx(float(theirs.result()))
    assert float(ours.result()) == pytest.approx(16 / 3)


def test_mean_metric_wrapper_rejects_non_callable():
    with pytest.raises(
        ValueError,
        match=r"`fn` of MeanMetricWrapper.*"
        r"Received: fn=3",
    ):
        lamina.metrics.MeanMetricWrapper(3)


def test_wrapper_names_the_metric_in_shape_errors():
    m = lamina.metrics.MeanSquaredError(name="my_mse")
    with pytest.raises(
        ValueError,
        match=r"MeanSquaredError 'my_mse'.*"
        r"y_true.shape=\(4, 3\).*"
        r"y_pred.shape=\(4, 2\)",
    ):
        m.update_state(np.zeros((4, 3)), np.zeros((4, 2)))
