"""Shared helpers for the `lamina.ops` tests: random inputs and an
oracle comparison against `keras.ops` (Keras 3 on torch)."""

import numpy as np
import torch

import lamina.ops as lops
from tests.keras_oracle import keras

kops = keras.ops

_RNG = np.random.default_rng(0)
_TOLERANCE = {"float16": 2e-3, "bfloat16": 2e-2}


def rand(shape, dtype="float32", low=-5, high=5, nonzero=False, seed=None):
    """A random numpy array (bfloat16 comes back as a torch tensor)."""
    gen = _RNG if seed is None else np.random.default_rng(seed)
    if dtype == "bool":
        return gen.random(shape) > 0.5
    if dtype.startswith(("int", "uint")):
        lo = max(low, 0) if dtype.startswith("uint") else low
        x = gen.integers(lo, high, size=shape)
        if nonzero:
            x = np.where(x == 0, 1, x)
        return x.astype(dtype)
    x = gen.standard_normal(shape) * 2
    if nonzero:
        x = np.where(np.abs(x) < 0.1, 0.5, x)
    if dtype == "bfloat16":
        return torch.tensor(x, dtype=torch.bfloat16)
    return x.astype(dtype)


def to_np(x):
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.numpy()
    return np.asarray(x)


def dtype_name(x):
    return str(x.dtype).replace("torch.", "")


def assert_same(ours, theirs, rtol=None, atol=None, check_dtype=True):
    """`ours` equals the oracle's `theirs`: structure, shape, dtype, values."""
    if isinstance(theirs, (list, tuple)):
        assert isinstance(ours, (list, tuple)), type(ours)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same(a, b, rtol, atol, check_dtype)
        return
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, torch.Tensor), type(ours)
        if check_dtype:
            assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
        tol = _TOLERANCE.get(dtype_name(theirs), 1e-5)
    else:
        tol = 1e-5
    a, b = to_np(ours), to_np(theirs)
    assert a.shape == b.shape, (a.shape, b.shape)
    if a.dtype == bool or b.dtype == bool:
        np.testing.assert_array_equal(a, b)
    else:
        np.testing.assert_allclose(
            a.astype(np.float64),
            b.astype(np.float64),
            equal_nan=True,
            rtol=rtol or tol,
            atol=atol if atol is not None else tol,
        )


def check(name, *args, rtol=None, atol=None, check_dtype=True, **kwargs):
    """Run `name` in lamina and in Keras on the same inputs and compare."""
    theirs = getattr(kops, name)(*args, **kwargs)
    ours = getattr(lops, name)(*args, **kwargs)
    assert_same(ours, theirs, rtol, atol, check_dtype)
    return ours
