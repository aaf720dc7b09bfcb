"""VarianceScaling and the Glorot/He/LeCun presets against Keras 3."""

import math

import numpy as np
import pytest

import lamina
from lamina.initializers.variance_scaling import compute_fans
from lamina.saving import deserialize_keras_object
from lamina.saving import serialize_keras_object
from tests.keras_oracle import keras, to_numpy

PRESETS = [
    "GlorotUniform",
    "GlorotNormal",
    "HeUniform",
    "HeNormal",
    "LecunUniform",
    "LecunNormal",
]
# Dense (in, out) and conv (kh, kw, in, out) layouts.
SHAPES = [(200, 300), (3, 3, 40, 60)]


@pytest.mark.parametrize(
    "shape,axes",
    [
        ((), None),
        ((7,), None),
        ((3, 4), None),
        ((3, 3, 4, 8), None),
        ((2, 3, 3, 4, 8), None),
        ((5, 3, 4), ((0,), (1, 2))),
        ((2, 6, 5), ((0, 1), (2,))),
    ],
)
def test_compute_fans_matches_keras(shape, axes):
    from keras.src.initializers.random_initializers import (
        compute_fans as keras_compute_fans,
    )

    kwargs = (
        {} if axes is None else {"input_axes": axes[0], "output_axes": axes[1]}
    )
    assert compute_fans(shape, **kwargs) == keras_compute_fans(shape, **kwargs)


def _compare(ours, theirs, uniform):
    ours, theirs = ours.numpy(), to_numpy(theirs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    std = theirs.std()
    assert abs(ours.mean()) < 5 * std / math.sqrt(ours.size)
    np.testing.assert_allclose(ours.std(), std, rtol=0.03)
    if uniform:
        np.testing.assert_allclose(
            np.abs(ours).max(), np.abs(theirs).max(), rtol=0.01
        )


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("shape", SHAPES)
def test_presets_match_keras_statistically(name, shape):
    ours = getattr(lamina.initializers, name)(seed=3)(shape)
    theirs = getattr(keras.initializers, name)(seed=3)(shape)
    _compare(ours, theirs, uniform="Uniform" in name)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize(
    "distribution",
    ["uniform", "truncated_normal", "untruncated_normal", "normal"],
)
def test_variance_scaling_matches_keras(mode, distribution):
    kwargs = {
        "scale": 0.7,
        "mode": mode,
        "distribution": distribution,
        "seed": 1,
    }
    ours = lamina.initializers.VarianceScaling(**kwargs)((3, 3, 40, 60))
    theirs = keras.initializers.VarianceScaling(**kwargs)((3, 3, 40, 60))
    _compare(ours, theirs, uniform=distribution == "uniform")


def test_uniform_limit_is_exact():
    scale, shape = 2.0, (50, 40)
    values = lamina.initializers.VarianceScaling(
        scale=scale, mode="fan_out", distribution="uniform", seed=0
    )(shape)
    limit = math.sqrt(3 * scale / 40)
    assert values.abs().max() <= limit
    assert values.abs().max() > 0.99 * limit


def test_input_output_axes_drive_the_fans():
    init = lamina.initializers.VarianceScaling(
        scale=1.0,
        mode="fan_in",
        distribution="untruncated_normal",
        seed=0,
        input_axes=(0,),
        output_axes=(1, 2),
    )
    values = init((400, 3, 50))
    np.testing.assert_allclose(
        values.std().item(), math.sqrt(1 / 400), rtol=0.03
    )


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize(
    "kwargs", [{}, {"seed": 4}, {"input_axes": [0], "output_axes": [1]}]
)
def test_preset_serialization_matches_keras(name, kwargs):
    ours = getattr(lamina.initializers, name)(**kwargs)
    theirs = getattr(keras.initializers, name)(**kwargs)
    config = serialize_keras_object(ours)
    assert config == keras.saving.serialize_keras_object(theirs)
    restored = deserialize_keras_object(config)
    assert type(restored) is type(ours)
    assert restored.get_config() == ours.get_config()


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"scale": 2.0, "mode": "fan_avg", "distribution": "uniform", "seed": 9},
        {"distribution": "Normal"},
        {"input_axes": [0], "output_axes": [1]},
    ],
)
def test_variance_scaling_serialization_matches_keras(kwargs):
    ours = lamina.initializers.VarianceScaling(**kwargs)
    theirs = keras.initializers.VarianceScaling(**kwargs)
    assert serialize_keras_object(ours) == (
        keras.saving.serialize_keras_object(theirs)
    )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (
            {"scale": 0.0},
            "argument `scale` of VarianceScaling.*Received: scale",
        ),
        ({"scale": -1.0}, "argument `scale`"),
        ({"mode": "fan_sum"}, "argument `mode`.*fan_sum"),
        ({"distribution": "cauchy"}, "argument `distribution`.*cauchy"),
    ],
)
def test_invalid_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lamina.initializers.VarianceScaling(**kwargs)
