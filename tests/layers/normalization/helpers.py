"""Oracle helpers for the normalization tests: the same layer in Keras and
lamina with the same (random) weights, outputs and input gradients."""

import numpy as np
import torch

from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.parity import random_input


def random_weights(layer, rng):
    """Random values for every weight of a built Keras layer; variances
    (and standard deviations) stay positive."""
    values = []
    for w in layer.weights:
        shape = tuple(w.shape)
        if "variance" in w.path or "stddev" in w.path:
            values.append(rng.uniform(0.5, 2.0, shape).astype("float32"))
        else:
            values.append(rng.normal(size=shape).astype("float32"))
    layer.set_weights(values)


def built_pair(name, lamina_cls, kwargs, shape, seed=0):
    """Keras and lamina layers built on `shape`, sharing random weights."""
    k_layer = getattr(keras.layers, name)(**kwargs)
    k_layer.build(shape)
    random_weights(k_layer, np.random.default_rng(seed))
    l_layer = lamina_cls(**kwargs)
    l_layer(torch.zeros(shape))
    l_layer.set_weights(k_layer.get_weights())
    return k_layer, l_layer


def output_and_grad(layer, x, cotangent, **call_kwargs):
    """`layer(x)` and d<output, cotangent>/dx, as numpy arrays."""
    xt = torch.tensor(x, requires_grad=True)
    out = layer(xt, **call_kwargs)
    (out * torch.as_tensor(cotangent)).sum().backward()
    return to_numpy(out), xt.grad.numpy()


def check_against_keras(
    k_layer, l_layer, shape, seed=0, rtol=1e-5, atol=1e-5, **call_kwargs
):
    """Outputs and input gradients agree on a random input."""
    x = random_input(shape, seed)
    cot = random_input(shape, seed + 1)
    k_out, k_grad = output_and_grad(k_layer, x, cot, **call_kwargs)
    l_out, l_grad = output_and_grad(l_layer, x, cot, **call_kwargs)
    np.testing.assert_allclose(l_out, k_out, rtol=rtol, atol=atol)
    np.testing.assert_allclose(l_grad, k_grad, rtol=1e-4, atol=1e-4)


def assert_same_weights(k_layer, l_layer, rtol=1e-5, atol=1e-6):
    k_weights, l_weights = k_layer.get_weights(), l_layer.get_weights()
    assert len(k_weights) == len(l_weights)
    for k, m in zip(k_weights, l_weights):
        np.testing.assert_allclose(m, k, rtol=rtol, atol=atol)
