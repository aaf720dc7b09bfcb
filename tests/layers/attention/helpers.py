"""Shared oracle helpers of the attention tests: the same layer in Keras
and lamina, the same (masked) inputs, weights copied Keras -> lamina."""

import json

import numpy as np
import torch

from tests.keras_oracle import to_numpy

RTOL, ATOL = 1e-5, 1e-6


def tensor(x, mask=None):
    """A fresh torch tensor from `x`, with `mask` attached Keras-style."""
    t = torch.tensor(np.asarray(x))
    if mask is not None:
        t._keras_mask = torch.tensor(np.asarray(mask))
    return t


def normal(rng, shape):
    return rng.normal(size=shape).astype("float32")


def lengths_mask(lengths, size):
    """`(len(lengths), size)` boolean: the first `lengths[i]` kept."""
    return np.arange(size)[None, :] < np.asarray(lengths)[:, None]


def assert_close(ours, theirs, rtol=RTOL, atol=ATOL):
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_close(a, b, rtol, atol)
        return
    a, b = to_numpy(ours), to_numpy(theirs)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def copy_weights(keras_layer, lamina_layer):
    """Same weight count, shapes and Keras names; then Keras -> lamina."""
    k_weights = keras_layer.get_weights()
    assert [w.shape for w in lamina_layer.get_weights()] == [
        tuple(w.shape) for w in k_weights
    ]
    lamina_layer.set_weights(k_weights)


def same_config(keras_layer, lamina_layer):
    k = dict(keras_layer.get_config())
    m = dict(lamina_layer.get_config())
    k.pop("name"), m.pop("name")
    assert m == k


def round_trip(lamina_cls, keras_cls, layer):
    """lamina config (through JSON) -> lamina and -> Keras, same config;
    and a Keras config -> lamina."""
    config = json.loads(json.dumps(layer.get_config()))
    again = lamina_cls.from_config(config)
    assert json.loads(json.dumps(again.get_config())) == config
    theirs = keras_cls.from_config(config)
    assert json.loads(json.dumps(theirs.get_config())) == config
    ours = lamina_cls.from_config(theirs.get_config())
    assert json.loads(json.dumps(ours.get_config())) == config
