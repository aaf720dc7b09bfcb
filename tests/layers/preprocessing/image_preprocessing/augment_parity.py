"""Differential checks of the augmentation layers against Keras 3.

`same_transformation`: Keras draws the random parameters
(`get_random_transformation`), both libraries apply that same dict with
`transform_images`, outputs must agree; the main check, independent of how
either library draws. `same_seed`: the same seed gives Keras's numbers
end to end (lamina draws as Keras's torch backend does).
"""

import copy
import inspect

import numpy as np
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


def images(shape, seed=0, high=255.0):
    rng = np.random.default_rng(seed)
    return (rng.random(shape) * high).astype("float32")


def _clone(value):
    if isinstance(value, torch.Tensor):
        return value.clone()
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return copy.copy(value)


def assert_close(ours, theirs, rtol=1e-5, atol=1e-3):
    a = ours.detach().cpu().numpy() if hasattr(ours, "detach") else ours
    b = np.asarray(to_numpy(theirs))
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def both(name, kwargs):
    return (
        getattr(keras.layers, name)(**kwargs),
        getattr(lamina.layers, name)(**kwargs),
    )


def same_transformation(name, kwargs, x, atol=1e-3):
    """Keras's drawn transformation, applied by both."""
    theirs, ours = both(name, kwargs)
    transformation = theirs.get_random_transformation(
        torch.from_numpy(x), training=True
    )
    expected = theirs.transform_images(
        torch.from_numpy(x.copy()), _clone(transformation)
    )
    got = ours.transform_images(
        torch.from_numpy(x.copy()), _clone(transformation)
    )
    assert_close(got, expected, atol=atol)
    return got, expected


def same_seed(name, kwargs, x, calls=2, atol=1e-3):
    """Seeded layers called `calls` times give Keras's outputs."""
    theirs, ours = both(name, {**kwargs, "seed": 1234})
    for _ in range(calls):
        assert_close(
            ours(torch.from_numpy(x.copy())), theirs(x.copy()), atol=atol
        )


def _unannotated(function):
    """The signature without annotations: Keras has none, lamina's are
    type hints; names, kinds and defaults must match."""
    signature = inspect.signature(function)
    return str(
        signature.replace(
            parameters=[
                p.replace(annotation=inspect.Parameter.empty)
                for p in signature.parameters.values()
            ],
            return_annotation=inspect.Signature.empty,
        )
    )


def same_signature(name):
    ours = _unannotated(getattr(lamina.layers, name).__init__)
    theirs = _unannotated(getattr(keras.layers, name).__init__)
    assert ours == theirs, (ours, theirs)


def same_config(name, kwargs, keras_loads_it=True):
    """Configs agree; each library rebuilds the other's config."""
    theirs, ours = both(name, kwargs)
    drop = ("name",) if "seed" in kwargs else ("name", "seed")

    def clean(config):
        return {k: v for k, v in _plain(config).items() if k not in drop}

    assert clean(ours.get_config()) == clean(theirs.get_config())
    if keras_loads_it:
        rebuilt = getattr(keras.layers, name).from_config(ours.get_config())
        assert clean(rebuilt.get_config()) == clean(theirs.get_config())
    again = getattr(lamina.layers, name).from_config(theirs.get_config())
    assert clean(again.get_config()) == clean(theirs.get_config())


def _plain(config):
    if isinstance(config, dict):
        return {k: _plain(v) for k, v in config.items()}
    if isinstance(config, (list, tuple)):
        return [_plain(v) for v in config]
    return config


def identity_in_inference(name, kwargs, x):
    theirs, ours = both(name, kwargs)
    got = ours(torch.from_numpy(x.copy()), training=False)
    assert_close(got, theirs(x.copy(), training=False))
