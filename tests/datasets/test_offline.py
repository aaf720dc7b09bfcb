"""Offline, every loader names the file to place and the URL to fetch.

The file names and URLs below are Keras 3's, so files fetched by hand (or
by Keras) are found by lamina.
"""

import os

import pytest

from lamina.datasets import boston_housing
from lamina.datasets import cache
from lamina.datasets import california_housing
from lamina.datasets import cifar10
from lamina.datasets import cifar100
from lamina.datasets import fashion_mnist
from lamina.datasets import imdb
from lamina.datasets import mnist
from lamina.datasets import reuters

KERAS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CASES = [
    (mnist.load_data, "mnist.npz", KERAS + "mnist.npz"),
    (
        fashion_mnist.load_data,
        "fashion-mnist/train-labels-idx1-ubyte.gz",
        KERAS + "train-labels-idx1-ubyte.gz",
    ),
    (
        cifar10.load_data,
        "cifar-10-batches-py-target_archive",
        "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    ),
    (
        cifar100.load_data,
        "cifar-100-python-target_archive",
        "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
    ),
    (imdb.load_data, "imdb.npz", KERAS + "imdb.npz"),
    (
        imdb.get_word_index,
        "imdb_word_index.json",
        KERAS + "imdb_word_index.json",
    ),
    (reuters.load_data, "reuters.npz", KERAS + "reuters.npz"),
    (
        reuters.get_word_index,
        "reuters_word_index.json",
        KERAS + "reuters_word_index.json",
    ),
    (
        boston_housing.load_data,
        "boston_housing.npz",
        KERAS + "boston_housing.npz",
    ),
    (
        california_housing.load_data,
        "california_housing.npz",
        KERAS + "california_housing.npz",
    ),
]


@pytest.mark.parametrize(
    "load,name,url",
    CASES,
    ids=[c[0].__module__.split(".")[-1] + "." + c[0].__name__ for c in CASES],
)
def test_offline_error(keras_home, load, name, url):
    # The keras_home fixture makes urllib.request.urlopen raise URLError.
    with pytest.raises(OSError) as info:
        load()
    assert isinstance(info.value, cache.DatasetUnavailableError)
    message = str(info.value)
    caller = load.__module__.split(".")[-1] + "." + load.__name__
    assert message.startswith(f"{caller} could not download {url} (")
    assert os.path.join(str(keras_home), "datasets", name) in message
    assert "network disabled in tests" in message
