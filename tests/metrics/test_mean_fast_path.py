"""`Mean.update_state`'s shortcut for a float32 scalar weighted by an
int (the loss tracker's call each step) against the general path and
Keras 3; other weights and values take the general path."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras


def _general(metric, values, sample_weight):
    # The general path, as `update_state` ran it before the shortcut.
    values = torch.as_tensor(values)
    metric._accumulate(values, sample_weight)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scalar_with_int_weight_equals_general_path_and_keras(seed):
    rng = np.random.default_rng(seed)
    values = rng.normal(size=7).astype("float32") * 10 ** rng.uniform(-3, 3)
    weights = rng.integers(1, 300, size=7).tolist()
    fast, general = lamina.metrics.Mean(), lamina.metrics.Mean()
    theirs = keras.metrics.Mean()
    for v, w in zip(values, weights):
        fast.update_state(torch.tensor(v), sample_weight=w)
        _general(general, torch.tensor(v), w)
        theirs.update_state(torch.tensor(v), sample_weight=w)
    assert torch.equal(fast.total, general.total)
    assert torch.equal(fast.count, general.count)
    assert torch.equal(fast.result(), general.result())
    np.testing.assert_allclose(
        fast.result().numpy(),
        keras.ops.convert_to_numpy(theirs.result()),
        rtol=1e-6,
    )


@pytest.mark.parametrize(
    "values,weight",
    [
        (torch.tensor(2.5), 0.5),  # float weight
        (torch.tensor(2.5), True),  # bool is not an int here
        (torch.tensor(2.5), torch.tensor(3.0)),
        (torch.tensor([1.0, 4.0]), 2),  # not a scalar
        (torch.tensor(2.5, dtype=torch.float64), 3),
    ],
)
def test_other_inputs_take_general_path_and_match_keras(values, weight):
    ours = lamina.metrics.Mean()
    theirs = keras.metrics.Mean()
    ours.update_state(values, sample_weight=weight)
    theirs.update_state(values, sample_weight=weight)
    np.testing.assert_allclose(
        ours.result().numpy(),
        keras.ops.convert_to_numpy(theirs.result()),
        rtol=1e-6,
    )


def test_float64_metric_takes_general_path():
    ours = lamina.metrics.Mean(dtype="float64")
    ours.update_state(torch.tensor(0.1), sample_weight=3)
    assert ours.total.dtype == torch.float64
    expected = torch.tensor(0.1).to(torch.float64) * 3
    assert torch.equal(ours.total, expected)


def test_int_weight_on_vector_matches_keras():
    values = torch.tensor([1.0, 5.0, 9.0])
    ours, theirs = lamina.metrics.Mean(), keras.metrics.Mean()
    for metric in (ours, theirs):
        metric.update_state(values, sample_weight=4)
        metric.update_state(torch.tensor(2.0), sample_weight=2)
    np.testing.assert_allclose(
        ours.result().numpy(),
        keras.ops.convert_to_numpy(theirs.result()),
        rtol=1e-6,
    )
