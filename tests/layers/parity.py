"""Differential checks of a lamina layer against the same Keras 3 layer.

Shared by the reshaping, regularization and activation-layer tests: the
same arguments build both layers; outputs (after copying weights), configs,
`from_config` round trips (both ways), symbolic shapes in functional models
and `Sequential(input_shape=...)` use are compared.
"""

import numpy as np
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

RTOL = 1e-5
ATOL = 1e-6


def random_input(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def assert_close(ours, theirs, rtol=RTOL, atol=ATOL):
    a = ours.detach().cpu().numpy() if hasattr(ours, "detach") else ours
    b = np.asarray(to_numpy(theirs))
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def compare_outputs(
    keras_layer, lamina_layer, x, call_kwargs=None, rtol=RTOL, atol=ATOL
):
    """Call both on numpy `x` (weights copied Keras -> lamina)."""
    call_kwargs = call_kwargs or {}
    k_out = keras_layer(x, **call_kwargs)
    lam_out = lamina_layer(torch.from_numpy(x), **call_kwargs)
    if keras_layer.weights:
        lamina_layer.set_weights(keras_layer.get_weights())
        lam_out = lamina_layer(torch.from_numpy(x), **call_kwargs)
    assert_close(lam_out, k_out, rtol, atol)
    return lam_out


def compare_configs(keras_layer, lamina_layer, skip=()):
    k_cfg = dict(keras_layer.get_config())
    l_cfg = dict(lamina_layer.get_config())
    for key in ("name", *skip):
        k_cfg.pop(key, None)
        l_cfg.pop(key, None)
    assert l_cfg == k_cfg


def check_round_trip(lamina_cls, keras_cls, lamina_layer):
    """lamina config -> lamina layer and -> Keras layer, same config."""
    config = lamina_layer.get_config()
    again = lamina_cls.from_config(config)
    assert again.get_config() == config
    theirs = keras_cls.from_config(config)
    mine = {k: v for k, v in config.items() if k != "name"}
    assert {k: theirs.get_config()[k] for k in mine} == mine


def compare_symbolic(make_keras, make_lamina, shape, dtype="float32"):
    """Output shape of a functional call on `Input(shape)`, both libraries."""
    k_out = make_keras()(keras.Input(shape, dtype=dtype))
    lam_out = make_lamina()(lamina.Input(shape, dtype=dtype))
    assert tuple(lam_out.shape) == tuple(k_out.shape)
    return tuple(lam_out.shape)


def check_sequential(make_lamina, x, expected, kwargs=None, **layer_kw):
    """The layer first in a `Sequential` built from `input_shape` (or,
    for layers whose Keras signature has no `**kwargs`, after an `Input`)."""
    try:
        model = lamina.Sequential(
            [make_lamina(input_shape=x.shape[1:], **layer_kw)]
        )
    except TypeError as error:
        if "input_shape" not in str(error):
            raise
        model = lamina.Sequential(
            [lamina.Input(x.shape[1:]), make_lamina(**layer_kw)]
        )
    expected_shape = (None,) + tuple(np.shape(to_numpy(expected)))[1:]
    assert tuple(model.output_shape) == expected_shape
    out = model(torch.from_numpy(x), **(kwargs or {}))
    assert_close(out, expected)


def full_parity(
    name,
    lamina_cls,
    kwargs,
    input_shape,
    symbolic=(),
    skip_config=(),
    rtol=RTOL,
    atol=ATOL,
    seed=0,
):
    """Every differential check for one argument combination."""
    keras_cls = getattr(keras.layers, name)
    x = random_input(input_shape, seed)
    k_layer, l_layer = keras_cls(**kwargs), lamina_cls(**kwargs)
    compare_outputs(k_layer, l_layer, x, rtol=rtol, atol=atol)
    compare_configs(k_layer, l_layer, skip_config)
    check_round_trip(lamina_cls, keras_cls, l_layer)
    for shape in symbolic or (input_shape[1:],):
        compare_symbolic(
            lambda: keras_cls(**kwargs), lambda: lamina_cls(**kwargs), shape
        )
    k_out = keras_cls(**kwargs)
    k_expected = k_out(x)
    if k_out.weights:
        return
    check_sequential(lambda **kw: lamina_cls(**kwargs, **kw), x, k_expected)
