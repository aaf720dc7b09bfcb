"""mnist and fashion_mnist read Keras's cache files, as Keras does."""

import io
import os
import urllib.request

import numpy as np
import pytest

from lamina.datasets import fashion_mnist
from lamina.datasets import mnist
from tests.datasets import fakes


@pytest.fixture
def mnist_arrays(datasets_dir, rng):
    arrays = {
        "x_train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 6, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 3, dtype=np.uint8),
    }
    np.savez(datasets_dir / "mnist.npz", **arrays)
    return arrays


def _check(result, arrays):
    (x_train, y_train), (x_test, y_test) = result
    for got, key in (
        (x_train, "x_train"),
        (y_train, "y_train"),
        (x_test, "x_test"),
        (y_test, "y_test"),
    ):
        assert got.dtype == np.uint8 and got.shape == arrays[key].shape
        np.testing.assert_array_equal(got, arrays[key])


def test_mnist_reads_the_cache(mnist_arrays):
    _check(mnist.load_data(), mnist_arrays)


def test_mnist_matches_keras(mnist_arrays, keras_datasets):
    ours, theirs = mnist.load_data(), keras_datasets.mnist.load_data()
    for a, b in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


def test_mnist_other_file_name(datasets_dir, mnist_arrays):
    os.rename(datasets_dir / "mnist.npz", datasets_dir / "digits28.npz")
    _check(mnist.load_data(path="digits28.npz"), mnist_arrays)


def test_mnist_download_checks_keras_hash(keras_home, monkeypatch):
    monkeypatch.setattr(
        urllib.request,
        "urlopen",
        lambda url, timeout=None: io.BytesIO(b"not mnist"),
    )
    with pytest.raises(
        ValueError,
        match="mnist.load_data: the file "
        "downloaded from .*mnist.npz is corrupted: expected "
        "hash 731c5ac6",
    ):
        mnist.load_data()
    assert os.listdir(keras_home / "datasets") == []


@pytest.fixture
def fashion_arrays(datasets_dir, rng):
    folder = datasets_dir / "fashion-mnist"
    folder.mkdir()
    arrays = {
        "y_train": rng.integers(0, 10, 7, dtype=np.uint8),
        "x_train": rng.integers(0, 256, (7, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 4, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
    }
    for key, name in (
        ("y_train", "train-labels-idx1-ubyte.gz"),
        ("x_train", "train-images-idx3-ubyte.gz"),
        ("y_test", "t10k-labels-idx1-ubyte.gz"),
        ("x_test", "t10k-images-idx3-ubyte.gz"),
    ):
        fakes.write_idx(folder / name, arrays[key])
    return arrays


def test_fashion_mnist_reads_the_cache(fashion_arrays):
    result = fashion_mnist.load_data()
    _check(result, fashion_arrays)
    result[0][0][0, 0, 0] = 1  # writable, unlike np.frombuffer's arrays


def test_fashion_mnist_matches_keras(fashion_arrays, keras_datasets):
    ours = fashion_mnist.load_data()
    theirs = keras_datasets.fashion_mnist.load_data()
    for a, b in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_fashion_mnist_rejects_a_non_idx_file(datasets_dir, fashion_arrays):
    path = datasets_dir / "fashion-mnist" / "t10k-labels-idx1-ubyte.gz"
    fakes.write_idx(path, np.zeros((2, 2), np.uint8))  # 2-D: magic 2050
    with pytest.raises(
        ValueError,
        match="t10k-labels-idx1-ubyte.gz is not "
        "an IDX file of 1-D unsigned bytes: expected magic "
        "number 2049, received 2050",
    ):
        fashion_mnist.load_data()


def test_fashion_mnist_class_names():
    assert len(fashion_mnist.CLASS_NAMES) == 10
    assert fashion_mnist.CLASS_NAMES[0] == "T-shirt/top"
