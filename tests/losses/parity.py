"""Helpers that run the same loss in lamina and in Keras 3 and compare."""

import numpy as np
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

RTOL = 1e-5
ATOL = 1e-6


def assert_close(ours, theirs, rtol=RTOL, atol=ATOL):
    assert isinstance(ours, torch.Tensor), type(ours)
    a = ours.detach().cpu().numpy()
    b = np.asarray(to_numpy(theirs))
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def sample_weight(kind, losses_shape, rng):
    """Sample weights of a given kind for losses of `losses_shape`."""
    batch = losses_shape[0] if losses_shape else 1
    if kind is None:
        return None
    if kind == "scalar":
        return 2.0
    if kind == "batch":
        return rng.uniform(0, 2, (batch,)).astype("float32")
    if kind == "batch1":
        return rng.uniform(0, 2, (batch, 1)).astype("float32")
    if kind == "full":
        return rng.uniform(0, 2, losses_shape).astype("float32")
    if kind == "torch":
        return torch.tensor(rng.uniform(0, 2, (batch,)), dtype=torch.float32)
    raise ValueError(kind)


def _grad(out, y_pred):
    (g,) = torch.autograd.grad(out.sum(), y_pred)
    return g


def compare_class(
    name, kwargs, y_true, y_pred, sw=None, grad=False, rtol=RTOL, atol=ATOL
):
    """Call `name(**kwargs)` of both libraries on the same inputs."""
    ours = getattr(lamina.losses, name)(**kwargs)
    theirs = getattr(keras.losses, name)(**kwargs)
    p_ours = torch.tensor(y_pred, requires_grad=grad)
    p_theirs = torch.tensor(y_pred, requires_grad=grad)
    out_ours = ours(y_true, p_ours, sample_weight=sw)
    out_theirs = theirs(y_true, p_theirs, sample_weight=sw)
    assert_close(out_ours, out_theirs, rtol, atol)
    if grad:
        assert_close(
            _grad(out_ours, p_ours), _grad(out_theirs, p_theirs), rtol, atol
        )
    return out_ours


def compare_function(
    name, kwargs, y_true, y_pred, grad=False, rtol=RTOL, atol=ATOL
):
    """Call the function form `name(y_true, y_pred, **kwargs)` of both."""
    p_ours = torch.tensor(y_pred, requires_grad=grad)
    p_theirs = torch.tensor(y_pred, requires_grad=grad)
    out_ours = getattr(lamina.losses, name)(y_true, p_ours, **kwargs)
    out_theirs = getattr(keras.losses, name)(y_true, p_theirs, **kwargs)
    assert_close(out_ours, out_theirs, rtol, atol)
    if grad:
        assert_close(
            _grad(out_ours, p_ours), _grad(out_theirs, p_theirs), rtol, atol
        )
    return out_ours


def compare_config(name, kwargs):
    """Configs and serialized forms equal Keras's; round trips work."""
    ours = getattr(lamina.losses, name)(**kwargs)
    theirs = getattr(keras.losses, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    assert lamina.losses.serialize(ours) == keras.losses.serialize(theirs)
    rebuilt = lamina.losses.deserialize(lamina.losses.serialize(ours))
    assert type(rebuilt) is type(ours)
    assert rebuilt.get_config() == ours.get_config()
    from_keras = lamina.losses.deserialize(keras.losses.serialize(theirs))
    assert from_keras.get_config() == ours.get_config()
