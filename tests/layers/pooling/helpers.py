"""Shared checks for the pooling tests: a float64 reference written with
plain slicing (the definition of each pooling mode), and Keras parity."""

import itertools

import numpy as np
import torch

from tests.keras_oracle import keras
from tests.layers.normalization.helpers import output_and_grad
from tests.layers.parity import full_parity
from tests.layers.parity import random_input


def _window_bounds(n, k, s, padding):
    if padding == "same":
        out = -(-n // s)
        before = max(0, (out - 1) * s + k - n) // 2
    else:
        out, before = (n - k) // s + 1, 0
    return [
        (max(i * s - before, 0), min(i * s - before + k, n)) for i in range(out)
    ]


def reference_pool(x, pool_size, strides, padding, mode, data_format):
    """Pool a float64 tensor window by window over its real entries only
    (max of the real entries, mean of the real entries)."""
    if data_format == "channels_first":
        x = x.movedim(1, -1)
    spatial = x.shape[1:-1]
    axes = tuple(range(1, len(spatial) + 1))
    bounds = [
        _window_bounds(n, k, s, padding)
        for n, k, s in zip(spatial, pool_size, strides)
    ]
    pieces = []
    for window in itertools.product(*bounds):
        region = x[(slice(None),) + tuple(slice(a, b) for a, b in window)]
        pieces.append(
            region.amax(dim=axes) if mode == "max" else region.mean(dim=axes)
        )
    out_shape = (x.shape[0],) + tuple(len(b) for b in bounds) + (x.shape[-1],)
    out = torch.stack(pieces, dim=1).reshape(out_shape)
    return out.movedim(-1, 1) if data_format == "channels_first" else out


def check_reference(layer, shape, seed=0):
    """Output and input gradient of `layer` against the float64 reference."""
    x = random_input(shape, seed)
    cot = random_input(tuple(layer(torch.from_numpy(x)).shape), seed + 1)
    out, grad = output_and_grad(layer, x, cot)
    x64 = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ref = reference_pool(
        x64,
        layer.pool_size,
        layer.strides,
        layer.padding,
        layer.pool_mode,
        layer.data_format,
    )
    (ref * torch.from_numpy(cot).double()).sum().backward()
    np.testing.assert_allclose(out, ref.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad, x64.grad.numpy(), rtol=1e-5, atol=1e-6)


def check_keras(name, cls, kwargs, shape, symbolic):
    """Every parity check against Keras, input gradients included."""
    full_parity(name, cls, kwargs, shape, symbolic=symbolic)
    x = random_input(shape, 3)
    k_layer, l_layer = getattr(keras.layers, name)(**kwargs), cls(**kwargs)
    cot = random_input(tuple(l_layer(torch.from_numpy(x)).shape), 4)
    k_out, k_grad = output_and_grad(k_layer, x, cot)
    l_out, l_grad = output_and_grad(l_layer, x, cot)
    np.testing.assert_allclose(l_out, k_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(l_grad, k_grad, rtol=1e-5, atol=1e-6)


def same_is_symmetric(shape, kwargs, rank):
    """Whether Keras's torch backend pads this `same` case symmetrically
    (where it replicates edge values instead, its averages differ)."""
    fmt = kwargs.get("data_format", "channels_last")
    spatial = shape[1:-1] if fmt == "channels_last" else shape[2:]
    pool = kwargs["pool_size"]
    pool = (pool,) * rank if isinstance(pool, int) else pool
    strides = kwargs.get("strides") or pool
    strides = (strides,) * rank if isinstance(strides, int) else strides
    for n, k, s in zip(spatial, pool, strides):
        out = -(-n // s)
        if max(0, (out - 1) * s + k - n) % 2:
            return False
    return True
