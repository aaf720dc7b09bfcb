"""RandomNormal, RandomUniform, TruncatedNormal and Orthogonal.

Values cannot match Keras bit for bit (different generators), so the
distributions are compared through their moments and bounds on large draws,
and configs are compared exactly.
"""

import numpy as np
import pytest
import torch

import lamina
from lamina.saving import deserialize_keras_object
from lamina.saving import serialize_keras_object
from tests.keras_oracle import keras, to_numpy

SHAPE = (200, 300)

CASES = [
    ("RandomNormal", {"mean": 0.5, "stddev": 2.0}),
    ("RandomNormal", {}),
    ("TruncatedNormal", {"mean": 1.0, "stddev": 0.5}),
    ("TruncatedNormal", {}),
    ("RandomUniform", {"minval": -1.0, "maxval": 3.0}),
    ("RandomUniform", {}),
]


def _draw_both(name, kwargs, shape=SHAPE, dtype=None):
    ours = getattr(lamina.initializers, name)(seed=7, **kwargs)(
        shape, dtype=dtype
    )
    theirs = getattr(keras.initializers, name)(seed=7, **kwargs)(
        shape, dtype=dtype
    )
    return ours.numpy(), to_numpy(theirs)


@pytest.mark.parametrize("name,kwargs", CASES)
def test_moments_and_bounds_match_keras(name, kwargs):
    ours, theirs = _draw_both(name, kwargs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    std = theirs.std()
    # Sampling error of the mean is std / sqrt(n); allow 5 of them.
    assert abs(ours.mean() - theirs.mean()) < 5 * std / np.sqrt(ours.size)
    np.testing.assert_allclose(ours.std(), std, rtol=0.03)
    if name != "RandomNormal":
        assert ours.min() >= theirs.min() - 0.01 * std
        assert ours.max() <= theirs.max() + 0.01 * std


def test_truncated_normal_stays_within_two_stddevs():
    init = lamina.initializers.TruncatedNormal(mean=1.0, stddev=0.5, seed=3)
    values = init(SHAPE)
    assert values.min() >= 0.0 and values.max() <= 2.0


def test_uniform_stays_within_bounds():
    values = lamina.initializers.RandomUniform(2.0, 2.5, seed=1)(SHAPE)
    assert values.min() >= 2.0 and values.max() <= 2.5


@pytest.mark.parametrize("name,kwargs", CASES[::2])
@pytest.mark.parametrize("dtype", ["float64", "float16", "bfloat16"])
def test_dtypes(name, kwargs, dtype):
    ours = getattr(lamina.initializers, name)(seed=1, **kwargs)(
        (20, 30), dtype=dtype
    )
    assert str(ours.dtype) == f"torch.{dtype}"


@pytest.mark.parametrize(
    "name", ["RandomNormal", "RandomUniform", "TruncatedNormal", "Orthogonal"]
)
def test_integer_dtype_raises(name):
    init = getattr(lamina.initializers, name)(seed=1)
    with pytest.raises(ValueError, match=f"argument `dtype` of {name}"):
        init((4, 4), dtype="int32")


@pytest.mark.parametrize(
    "name", ["RandomNormal", "RandomUniform", "TruncatedNormal", "Orthogonal"]
)
def test_seed_semantics_follow_keras(name):
    cls = getattr(lamina.initializers, name)
    seeded = cls(seed=42)
    # Same object, same seed: same values (Keras 3); other seeds differ.
    assert torch.equal(seeded((6, 5)), seeded((6, 5)))
    assert torch.equal(seeded((6, 5)), cls(seed=42)((6, 5)))
    assert not torch.equal(seeded((6, 5)), cls(seed=43)((6, 5)))
    # Unseeded: drawn once at construction, so repeated calls agree too,
    # while two objects (and a clone) differ.
    unseeded = cls()
    assert torch.equal(unseeded((6, 5)), unseeded((6, 5)))
    assert not torch.equal(unseeded((6, 5)), cls()((6, 5)))
    assert not torch.equal(unseeded((6, 5)), unseeded.clone()((6, 5)))
    assert torch.equal(seeded.clone()((6, 5)), seeded((6, 5)))


def test_keras_gives_the_same_values_for_repeated_unseeded_calls():
    init = keras.initializers.RandomNormal()
    np.testing.assert_array_equal(
        to_numpy(init((3, 3))), to_numpy(init((3, 3)))
    )


def test_set_random_seed_makes_unseeded_reproducible():
    lamina.config.set_random_seed(123)
    first = lamina.initializers.RandomNormal()((4, 4))
    lamina.config.set_random_seed(123)
    second = lamina.initializers.RandomNormal()((4, 4))
    assert torch.equal(first, second)


def test_torch_generator_seed_gives_fresh_values():
    gen = torch.Generator().manual_seed(5)
    init = lamina.initializers.RandomUniform(seed=gen)
    first, second = init((4, 4)), init((4, 4))
    assert not torch.equal(first, second)
    again = lamina.initializers.RandomUniform(
        seed=torch.Generator().manual_seed(5)
    )
    assert torch.equal(again((4, 4)), first)
    assert init.get_config()["seed"] is None


def test_global_torch_rng_is_untouched():
    state = torch.get_rng_state()
    lamina.initializers.RandomNormal()((10, 10))
    lamina.initializers.Orthogonal()((5, 5))
    assert torch.equal(state, torch.get_rng_state())


@pytest.mark.parametrize("seed", ["a", 1.5, True, [1]])
def test_invalid_seed_raises(seed):
    with pytest.raises(ValueError, match="argument `seed` of RandomNormal"):
        lamina.initializers.RandomNormal(seed=seed)


@pytest.mark.parametrize(
    "name,kwargs", CASES + [("Orthogonal", {}), ("Orthogonal", {"gain": 2.0})]
)
@pytest.mark.parametrize("seed", [None, 11])
def test_serialization_matches_keras(name, kwargs, seed):
    ours = getattr(lamina.initializers, name)(seed=seed, **kwargs)
    theirs = getattr(keras.initializers, name)(seed=seed, **kwargs)
    config = serialize_keras_object(ours)
    assert config == keras.saving.serialize_keras_object(theirs)
    restored = deserialize_keras_object(config)
    assert type(restored) is type(ours)
    assert restored.get_config() == ours.get_config()
    if seed is not None:
        assert torch.equal(restored((3, 4)), ours((3, 4)))


@pytest.mark.parametrize(
    "shape", [(5, 3), (3, 5), (4, 4), (3, 3, 4, 6), (2, 8, 4)]
)
@pytest.mark.parametrize("gain", [1.0, 0.5])
def test_orthogonal_is_orthogonal(shape, gain):
    w = lamina.initializers.Orthogonal(gain=gain, seed=2)(shape)
    assert tuple(w.shape) == shape
    flat = w.reshape(-1, shape[-1]).double() / gain
    small = min(flat.shape)
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else (flat @ flat.T)
    np.testing.assert_allclose(gram.numpy(), np.eye(small), atol=1e-5)


def test_orthogonal_float64_and_keras_agree_on_structure():
    ours = lamina.initializers.Orthogonal(seed=1)((6, 4), dtype="float64")
    theirs = to_numpy(keras.initializers.Orthogonal(seed=1)((6, 4)))
    assert ours.dtype == torch.float64
    np.testing.assert_allclose(ours.T @ ours, np.eye(4), atol=1e-12)
    np.testing.assert_allclose(theirs.T @ theirs, np.eye(4), atol=1e-5)


def test_orthogonal_rejects_rank_one():
    with pytest.raises(ValueError, match="at least two-dimensional"):
        lamina.initializers.Orthogonal()((5,))


@pytest.mark.parametrize(
    "name",
    [
        "GlorotUniform",
        "GlorotNormal",
        "HeNormal",
        "HeUniform",
        "LecunNormal",
        "LecunUniform",
        "VarianceScaling",
        "RandomNormal",
        "RandomUniform",
        "TruncatedNormal",
    ],
)
@pytest.mark.parametrize("shape", [(3, 4), (5, 7), (2, 3, 4, 8)])
def test_seeded_values_are_bit_identical_to_keras(name, shape):
    mine = getattr(lamina.initializers, name)(seed=42)(shape)
    theirs = getattr(keras.initializers, name)(seed=42)(shape)
    np.testing.assert_array_equal(to_numpy(mine), to_numpy(theirs))
