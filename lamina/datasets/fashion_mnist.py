"""Fashion-MNIST: 70,000 grayscale 28×28 images of 10 kinds of clothing."""

from __future__ import annotations

import gzip
import os

import numpy as np

from lamina.datasets import cache

_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)
_LABEL_MAGIC = 2049  # IDX header: unsigned bytes, 1 dimension
_IMAGE_MAGIC = 2051  # IDX header: unsigned bytes, 3 dimensions

CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def _read_idx(path: str, magic: int) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = magic - 2048
    header = np.frombuffer(raw, ">u4", count=1 + ndim)
    if header[0] != magic:
        raise ValueError(
            f"fashion_mnist.load_data: {path} is not an IDX file of "
            f"{ndim}-D unsigned bytes: expected magic number {magic}, "
            f"received {header[0]}. Delete it and call again to download it."
        )
    shape = tuple(int(d) for d in header[1:])
    data = np.frombuffer(raw, np.uint8, offset=4 * (1 + ndim))
    # A copy, so the arrays are writable like any other loader's.
    return data.reshape(shape).copy()


def load_data() -> cache.TrainTest:
    """Load Fashion-MNIST as `(x_train, y_train), (x_test, y_test)`.

    Reads the four gzipped IDX files Keras keeps in
    `<cache>/datasets/fashion-mnist/` (`$KERAS_HOME`, else `~/.keras`),
    downloading the missing ones (30 MB in all). Label `i` names the clothing
    `CLASS_NAMES[i]`: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal,
    Shirt, Sneaker, Bag, Ankle boot.

    Fashion-MNIST is by Zalando SE, under the MIT licence.

    Returns:
        Two tuples of NumPy arrays:

        - `x_train`: `uint8` images of shape `(60000, 28, 28)`.
        - `y_train`: `uint8` labels 0–9 of shape `(60000,)`.
        - `x_test`: `uint8` images of shape `(10000, 28, 28)`.
        - `y_test`: `uint8` labels of shape `(10000,)`.

    Raises:
        lamina.datasets.cache.DatasetUnavailableError: (an `OSError`) when a
            file is not cached and cannot be downloaded; the message names the
            path to copy it to and the URL to get it from.

    Example:

    >>> import lamina
    >>> (x_train, y_train), _ = (
    ...     lamina.datasets.fashion_mnist.load_data())  # doctest: +SKIP
    >>> x_train.shape  # doctest: +SKIP
    (60000, 28, 28)
    >>> lamina.datasets.fashion_mnist.CLASS_NAMES[9]
    'Ankle boot'
    """
    subdir = os.path.join("datasets", "fashion-mnist")
    paths = [
        cache.cached_file(
            name,
            cache.KERAS_DATASETS_URL + name,
            None,
            "fashion_mnist.load_data",
            subdir=subdir,
        )
        for name in _FILES
    ]
    y_train = _read_idx(paths[0], _LABEL_MAGIC)
    x_train = _read_idx(paths[1], _IMAGE_MAGIC)
    y_test = _read_idx(paths[2], _LABEL_MAGIC)
    x_test = _read_idx(paths[3], _IMAGE_MAGIC)
    return (x_train, y_train), (x_test, y_test)
