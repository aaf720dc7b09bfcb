"""CIFAR-100: 60,000 color 32×32 images in 100 classes (20 superclasses)."""

from __future__ import annotations

import os

import numpy as np

from lamina.datasets import cache
from lamina.datasets.cifar10 import batch_folder
from lamina.datasets.cifar10 import read_batch
from lamina.datasets.cifar10 import to_image_layout

_URL = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
_SHA256 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"
_LABEL_MODES = ("fine", "coarse")


def load_data(label_mode: str = "fine") -> cache.TrainTest:
    """Load CIFAR-100 as `(x_train, y_train), (x_test, y_test)`.

    Reads the `train` and `test` batches Keras extracts into
    `<cache>/cifar-100-python-target/cifar-100-python/` (`<cache>` is
    `$KERAS_HOME/datasets`, else `~/.keras/datasets`). When they are missing,
    the archive `<cache>/cifar-100-python-target_archive` is extracted, after
    downloading it (161 MB, checked against Keras's sha256) if needed.

    Args:
        label_mode: `"fine"` for the 100 classes, or `"coarse"` for the 20
            superclasses they are grouped into.

    Returns:
        Two tuples of NumPy arrays:

        - `x_train`: `uint8` images of shape `(50000, 32, 32, 3)`, or
          `(50000, 3, 32, 32)` when `image_data_format()` is
          `"channels_first"`.
        - `y_train`: `int64` labels of shape `(50000, 1)`, 0–99 (fine) or
          0–19 (coarse).
        - `x_test`: `uint8` images of shape `(10000, 32, 32, 3)`.
        - `y_test`: `int64` labels of shape `(10000, 1)`.

    Raises:
        ValueError: if `label_mode` is not `"fine"` or `"coarse"`.
        lamina.datasets.cache.DatasetUnavailableError: (an `OSError`) when the
            data is not cached and cannot be downloaded; the message names the
            path to copy the archive to and the URL to get it from.

    Example:

    >>> import lamina
    >>> (x_train, y_train), _ = lamina.datasets.cifar100.load_data(
    ...     label_mode="coarse")  # doctest: +SKIP
    >>> int(y_train.max())  # doctest: +SKIP
    19
    """
    caller = "cifar100.load_data"
    if label_mode not in _LABEL_MODES:
        raise ValueError(
            f"Invalid value for argument `label_mode` of {caller}: expected "
            f"one of {_LABEL_MODES}. Received: label_mode={label_mode!r}"
        )
    folder = batch_folder(
        "cifar-100-python-target",
        "cifar-100-python",
        ("train", "test"),
        _URL,
        _SHA256,
        caller,
    )
    key = f"{label_mode}_labels"
    splits = []
    for name in ("train", "test"):
        images, labels = read_batch(os.path.join(folder, name), key, caller)
        # Labels are stored as a list of Python ints; NumPy makes them int64,
        # as Keras's arrays are.
        splits.append(
            (to_image_layout(images), np.asarray(labels).reshape(-1, 1))
        )
    return splits[0], splits[1]
