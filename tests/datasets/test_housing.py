"""boston_housing and california_housing: Keras's seeded shuffle split."""

import numpy as np
import pytest

from lamina.datasets import boston_housing
from lamina.datasets import california_housing


def assert_same(ours, theirs):
    for a, b in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


@pytest.fixture
def boston(datasets_dir, rng):
    arrays = {"x": rng.normal(size=(21, 13)), "y": rng.uniform(5, 50, 21)}
    np.savez(datasets_dir / "boston_housing.npz", **arrays)
    return arrays


@pytest.mark.parametrize(
    "kwargs", [{}, {"test_split": 0.0}, {"test_split": 0.5, "seed": 1}], ids=str
)
def test_boston_matches_keras(boston, keras_datasets, kwargs):
    assert_same(
        boston_housing.load_data(**kwargs),
        keras_datasets.boston_housing.load_data(**kwargs),
    )


def test_boston_rows_are_kept_together(boston):
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    assert x_train.shape == (16, 13) and x_test.shape == (5, 13)
    assert y_train.shape == (16,) and y_train.dtype == np.float64
    x = np.concatenate([x_train, x_test])
    y = np.concatenate([y_train, y_test])
    order = [int(np.flatnonzero((boston["x"] == row).all(1))[0]) for row in x]
    assert sorted(order) == list(range(21)) and order != list(range(21))
    np.testing.assert_array_equal(y, boston["y"][order])


@pytest.mark.parametrize("module", [boston_housing, california_housing])
def test_test_split_error(keras_home, module):
    with pytest.raises(
        ValueError,
        match=rf"argument `test_split` of "
        rf"{module.__name__.split('.')[-1]}\.load_data: "
        r"expected a fraction in \[0, 1\)\. Received: "
        r"test_split=1",
    ):
        module.load_data(test_split=1)


@pytest.fixture
def california(datasets_dir, rng):
    arrays = {
        "x": rng.normal(size=(640, 8)).astype(np.float32),
        "y": rng.uniform(2e4, 5e5, 640).astype(np.float32),
    }
    np.savez(datasets_dir / "california_housing.npz", **arrays)
    return arrays


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"version": "small"},
        {"version": "small", "test_split": 0.25, "seed": 0},
    ],
    ids=str,
)
def test_california_matches_keras(california, keras_datasets, kwargs):
    assert_same(
        california_housing.load_data(**kwargs),
        keras_datasets.california_housing.load_data(**kwargs),
    )


def test_california_small_is_the_first_600_rows(california):
    (x_train, _), (x_test, _) = california_housing.load_data(version="small")
    assert x_train.shape == (480, 8) and x_test.shape == (120, 8)
    assert x_train.dtype == np.float32
    rows = {r.tobytes() for r in np.concatenate([x_train, x_test])}
    assert rows == {r.tobytes() for r in california["x"][:600]}


def test_california_version_error(keras_home):
    with pytest.raises(
        ValueError,
        match=r"argument `version` of california"
        r"_housing\.load_data: expected one of \('small', "
        r"'large'\)\. Received: version='medium'",
    ):
        california_housing.load_data(version="medium")
