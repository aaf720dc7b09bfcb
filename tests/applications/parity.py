"""Build an application in Keras (the oracle) and in lamina, copy Keras's
weights across and compare layer names, weight shapes and outputs."""

import re

import numpy as np

from tests.keras_oracle import keras, to_numpy


def _snake(name: str) -> str:
    """Keras's automatic-name stem of a class (`Conv2D` -> `conv2d`)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def layer_names(model) -> list:
    """Layer names, with automatic names (`conv2d_12`) reduced to their
    class part: the counters depend on what else the process built."""
    names = []
    for layer in model.layers:
        auto = _snake(type(layer).__name__)
        if re.fullmatch(rf"{auto}(_\d+)?", layer.name):
            names.append(auto)
        else:
            names.append(layer.name)
    return names


def _randomize_keras(model, rng) -> None:
    """Non-trivial batch-norm statistics and scales, so that a mix-up of
    moving mean and variance (or of gamma and beta) shows."""
    for v in model.weights:
        value = np.asarray(to_numpy(v))
        if v.name in ("moving_variance", "gamma"):
            value = rng.uniform(0.5, 1.5, value.shape)
        elif v.name in ("moving_mean", "beta"):
            value = rng.uniform(-0.2, 0.2, value.shape)
        elif v.name == "bias":
            value = rng.uniform(-0.1, 0.1, value.shape)
        v.assign(value.astype("float32"))


def assert_parity(
    ours_fn,
    keras_fn,
    input_shape,
    rng,
    compare_outputs=True,
    batch=2,
    rtol=1e-4,
    atol=1e-4,
    **kwargs,
):
    """Same layers, same weights, same outputs (in inference mode)."""
    theirs = keras_fn(weights=None, input_shape=input_shape, **kwargs)
    ours = ours_fn(weights=None, input_shape=input_shape, **kwargs)
    assert ours.name == theirs.name
    assert layer_names(ours) == layer_names(theirs)
    their_shapes = [tuple(w.shape) for w in theirs.get_weights()]
    assert [tuple(w.shape) for w in ours.get_weights()] == their_shapes
    if not compare_outputs:
        return ours, theirs
    _randomize_keras(theirs, rng)
    ours.set_weights(theirs.get_weights())
    x = rng.uniform(0, 1, (batch, *input_shape)).astype("float32")
    expected = to_numpy(theirs.predict(x, verbose=0))
    got = to_numpy(ours.predict(x, verbose=0))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)
    return ours, theirs


__all__ = ["assert_parity", "keras", "layer_names"]
