"""`lamina.random` against `keras.random` (torch backend): an int seed or
a `SeedGenerator` seeded alike gives the same numbers on the CPU."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy

OPS = [
    (
        "normal",
        lambda lib, seed: lib.random.normal((3, 4), 1.0, 2.0, seed=seed),
    ),
    (
        "uniform",
        lambda lib, seed: lib.random.uniform((5,), -1.0, 3.0, seed=seed),
    ),
    ("uniform_scalar", lambda lib, seed: lib.random.uniform((), seed=seed)),
    ("randint", lambda lib, seed: lib.random.randint((4, 2), 0, 9, seed=seed)),
    (
        "truncated_normal",
        lambda lib, seed: lib.random.truncated_normal(
            (6, 3), 0.5, 0.1, seed=seed
        ),
    ),
    (
        "dropout",
        lambda lib, seed: lib.random.dropout(torch.ones(4, 5), 0.4, seed=seed),
    ),
    (
        "dropout_noise_shape",
        lambda lib, seed: lib.random.dropout(
            torch.ones(4, 5), 0.5, noise_shape=(None, 1), seed=seed
        ),
    ),
    (
        "shuffle",
        lambda lib, seed: lib.random.shuffle(
            np.arange(12).reshape(4, 3), axis=0, seed=seed
        ),
    ),
    (
        "shuffle_axis1",
        lambda lib, seed: lib.random.shuffle(
            np.arange(12).reshape(3, 4), axis=1, seed=seed
        ),
    ),
    (
        "categorical",
        lambda lib, seed: lib.random.categorical(
            np.log([[0.2, 0.5, 0.3], [0.9, 0.05, 0.05]]), 6, seed=seed
        ),
    ),
    ("gamma", lambda lib, seed: lib.random.gamma((3,), 2.0, seed=seed)),
    (
        "binomial",
        lambda lib, seed: lib.random.binomial((4,), 5, 0.3, seed=seed),
    ),
    ("beta", lambda lib, seed: lib.random.beta((3,), 2.0, 3.0, seed=seed)),
]


@pytest.mark.parametrize("name,op", OPS, ids=[n for n, _ in OPS])
@pytest.mark.parametrize("seed", [0, 7, 123456])
def test_int_seed_matches_keras(name, op, seed):
    ours, theirs = op(lamina, seed), op(keras, seed)
    np.testing.assert_allclose(
        to_numpy(ours), to_numpy(theirs), rtol=1e-6, atol=1e-7
    )
    np.testing.assert_array_equal(
        to_numpy(op(lamina, seed)), to_numpy(ours)
    )  # stateless


def test_seed_generator_sequence_matches_keras():
    ours, theirs = lamina.random.SeedGenerator(3), keras.random.SeedGenerator(3)
    for _ in range(3):
        np.testing.assert_allclose(
            lamina.random.normal((4,), seed=ours).numpy(),
            to_numpy(keras.random.normal((4,), seed=theirs)),
            rtol=1e-6,
        )
    assert ours.get_config()["seed"] == 3


def test_unseeded_ops_follow_set_random_seed():
    lamina.utils.set_random_seed(5)
    first = lamina.random.normal((3,))
    lamina.utils.set_random_seed(5)
    assert torch.equal(lamina.random.normal((3,)), first)
    assert not torch.equal(lamina.random.normal((3,)), first)


def test_public_names_match_keras():
    theirs = {n for n in dir(keras.random) if not n.startswith("_")}
    assert set(lamina.random.__all__) == theirs


@pytest.mark.parametrize("seed", ["7", 1.5, [1]])
def test_bad_seed_is_named(seed):
    with pytest.raises(ValueError, match="seed"):
        lamina.random.normal((2,), seed=seed)


def test_every_listed_submodule_imports():
    for name in lamina.__all__:
        getattr(lamina, name)
    with pytest.raises(AttributeError):
        getattr(lamina, "testing")
