"""Rectifier-like activations against Keras 3 (the oracle)."""

import numpy as np
import pytest
import torch

import lamina
from lamina.engine.symbolic import SymbolicTensor
from tests.keras_oracle import keras, to_numpy

RTOL, ATOL = 1e-5, 1e-6


def _inputs(shape=(4, 7), dtype="float32", scale=3.0):
    return (np.random.randn(*shape) * scale).astype(dtype)


def _check(name, x, **kwargs):
    ours = getattr(lamina.activations, name)(torch.from_numpy(x), **kwargs)
    theirs = getattr(keras.activations, name)(torch.from_numpy(x), **kwargs)
    assert isinstance(ours, torch.Tensor)
    assert ours.dtype == torch.from_numpy(x).dtype
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(theirs), rtol=RTOL, atol=ATOL
    )


RELU_CONFIGS = [
    {},
    {"negative_slope": 0.1},
    {"max_value": 6.0},
    {"max_value": 2.5},
    {"threshold": 0.5},
    {"threshold": -1.0},
    {"negative_slope": 0.2, "max_value": 6},
    {"negative_slope": 0.3, "max_value": 1.5, "threshold": -0.5},
    {"negative_slope": 0.05, "threshold": 1.0},
    {"max_value": 4.0, "threshold": 2.0},
]


@pytest.mark.parametrize("kwargs", RELU_CONFIGS)
def test_relu_matches_keras(kwargs):
    _check("relu", _inputs((5, 6)), **kwargs)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("leaky_relu", {}),
        ("leaky_relu", {"negative_slope": 0.01}),
        ("relu6", {}),
        ("elu", {}),
        ("elu", {"alpha": 0.5}),
        ("selu", {}),
        ("celu", {}),
        ("celu", {"alpha": 2.0}),
        ("gelu", {}),
        ("gelu", {"approximate": True}),
        ("silu", {}),
        ("swish", {}),
        ("hard_silu", {}),
        ("hard_swish", {}),
        ("mish", {}),
        ("softplus", {}),
        ("softsign", {}),
        ("squareplus", {}),
        ("squareplus", {"b": 1.0}),
        ("sparse_plus", {}),
        ("exponential", {}),
        ("linear", {}),
    ],
)
@pytest.mark.parametrize("shape", [(3, 5), (2, 3, 4)])
def test_matches_keras(name, kwargs, shape):
    _check(name, _inputs(shape), **kwargs)


@pytest.mark.parametrize(
    "name", ["relu", "elu", "gelu", "silu", "mish", "softplus", "sparse_plus"]
)
def test_float64_keeps_dtype_and_matches(name):
    _check(name, _inputs((3, 4), dtype="float64"))


def test_relu_examples_from_keras_docs():
    x = [-10, -5, 0.0, 5, 10]
    relu = lamina.activations.relu
    np.testing.assert_allclose(relu(x), [0, 0, 0, 5, 10])
    np.testing.assert_allclose(
        relu(x, negative_slope=0.5), [-5, -2.5, 0, 5, 10]
    )
    np.testing.assert_allclose(relu(x, max_value=5.0), [0, 0, 0, 5, 5])
    np.testing.assert_allclose(relu(x, threshold=5.0), [0, 0, 0, 0, 10])


def test_aliases_are_the_same_functions():
    assert lamina.activations.swish is lamina.activations.silu
    assert lamina.activations.hard_swish is lamina.activations.hard_silu


def test_gradients_flow():
    x = torch.randn(3, 4, requires_grad=True)
    for name in ("relu", "gelu", "silu", "mish", "elu", "softplus"):
        x.grad = None
        getattr(lamina.activations, name)(x).sum().backward()
        assert x.grad is not None and torch.isfinite(x.grad).all()


def test_default_relu_is_torch_relu():
    # The hot path must stay the fused kernel.
    x = torch.randn(10)
    assert torch.equal(lamina.activations.relu(x), torch.relu(x))


def test_symbolic_input_records_a_node():
    x = SymbolicTensor((None, 6))
    y = lamina.activations.relu(x, max_value=2.0)
    assert isinstance(y, SymbolicTensor)
    assert y.shape == (None, 6)
    assert y._keras_history.operation.fn.__name__ == "relu"
