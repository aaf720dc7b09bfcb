"""MNIST: 70,000 grayscale 28×28 images of handwritten digits 0–9."""

from __future__ import annotations

import numpy as np

from lamina.datasets import cache

_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path: str = "mnist.npz") -> cache.TrainTest:
    """Load MNIST as `(x_train, y_train), (x_test, y_test)`.

    The images come from Keras's `mnist.npz` in the Keras cache folder
    (`$KERAS_HOME/datasets`, else `~/.keras/datasets`); when it is missing it
    is downloaded once (11 MB) and checked against Keras's sha256.

    MNIST is by Yann LeCun and Corinna Cortes, derived from NIST, under
    CC BY-SA 3.0.

    Args:
        path: the file name inside the cache folder.

    Returns:
        Two tuples of NumPy arrays:

        - `x_train`: `uint8` images of shape `(60000, 28, 28)`, values
          0–255.
        - `y_train`: `uint8` labels 0–9 of shape `(60000,)`.
        - `x_test`: `uint8` images of shape `(10000, 28, 28)`.
        - `y_test`: `uint8` labels of shape `(10000,)`.

    Raises:
        lamina.datasets.cache.DatasetUnavailableError: (an `OSError`) when the
            file is not cached and cannot be downloaded; the message names the
            path to copy it to and the URL to get it from.

    Example:

    >>> import lamina
    >>> (x_train, y_train), (x_test, y_test) = (
    ...     lamina.datasets.mnist.load_data())  # doctest: +SKIP
    >>> x_train.shape, y_test.dtype  # doctest: +SKIP
    ((60000, 28, 28), dtype('uint8'))
    """
    file = cache.cached_file(
        path, cache.KERAS_DATASETS_URL + "mnist.npz", _SHA256, "mnist.load_data"
    )
    with np.load(file, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
