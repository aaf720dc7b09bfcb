"""Sigmoid/tanh/shrink activations against Keras 3 (the oracle)."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


def _check(name, x, *args, **kwargs):
    ours = getattr(lamina.activations, name)(
        torch.from_numpy(x), *args, **kwargs
    )
    theirs = getattr(keras.activations, name)(
        torch.from_numpy(x), *args, **kwargs
    )
    assert ours.dtype == torch.from_numpy(x).dtype
    assert tuple(ours.shape) == tuple(to_numpy(theirs).shape)
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(theirs), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("sigmoid", {}),
        ("hard_sigmoid", {}),
        ("sparse_sigmoid", {}),
        ("log_sigmoid", {}),
        ("tanh", {}),
        ("hard_tanh", {}),
        ("tanh_shrink", {}),
        ("soft_shrink", {}),
        ("soft_shrink", {"threshold": 1.5}),
        ("hard_shrink", {}),
        ("hard_shrink", {"threshold": 2.0}),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matches_keras(name, kwargs, dtype):
    x = (np.random.randn(4, 6) * 3).astype(dtype)
    _check(name, x, **kwargs)


@pytest.mark.parametrize("threshold,default", [(0.0, -1.0), (1.5, 0.0)])
def test_threshold_matches_keras(threshold, default):
    x = (np.random.randn(5, 5) * 3).astype("float32")
    _check("threshold", x, threshold, default)


@pytest.mark.parametrize(
    "axis,shape", [(-1, (3, 8)), (0, (4, 5)), (1, (2, 6, 3))]
)
def test_glu_matches_keras(axis, shape):
    _check("glu", np.random.randn(*shape).astype("float32"), axis=axis)


def test_glu_odd_dimension_raises():
    with pytest.raises(ValueError, match=r"must be even.*shape=\(2, 5\)"):
        lamina.activations.glu(torch.randn(2, 5))


def test_boundaries_of_piecewise_functions():
    x = torch.tensor([-3.0, -1.0, 0.0, 1.0, 3.0])
    np.testing.assert_allclose(
        lamina.activations.sparse_sigmoid(x), [0, 0, 0.5, 1, 1]
    )
    np.testing.assert_allclose(
        lamina.activations.hard_sigmoid(x), [0, 1 / 3, 0.5, 2 / 3, 1], rtol=1e-6
    )
    _check("sparse_sigmoid", x.numpy())
    _check("hard_sigmoid", x.numpy())
