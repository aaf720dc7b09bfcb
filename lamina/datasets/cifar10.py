"""CIFAR-10: 60,000 color 32×32 images in 10 classes.

Also home to the CIFAR helpers `cifar100` shares: finding (or fetching and
extracting) the batch folder, and reading one pickled batch safely.
"""

from __future__ import annotations

import os

import numpy as np

from lamina import config
from lamina.datasets import cache
from lamina.datasets import safe_pickle

_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
_TRAIN = tuple(f"data_batch_{i}" for i in range(1, 6))

CLASS_NAMES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)


def batch_folder(
    stem: str,
    inner: str,
    names: tuple[str, ...],
    origin: str,
    file_hash: str,
    caller: str,
) -> str:
    """The folder holding CIFAR's batch files, extracting them if needed.

    Keras 3 keeps the archive as `<cache>/<stem>_archive` and extracts it
    into `<cache>/<stem>/`, whose `<inner>/` folder holds the batches; the
    same places are used here so either library reuses the other's files.
    Keras 2 extracted straight into `<cache>/<inner>/`, which is read too.
    """
    root = os.path.join(cache.cache_dir(), stem)
    folder = os.path.join(root, inner)
    for candidate in (folder, os.path.join(cache.cache_dir(), inner)):
        if all(os.path.isfile(os.path.join(candidate, n)) for n in names):
            return candidate
    archive = cache.cached_file(stem + "_archive", origin, file_hash, caller)
    cache.safe_extract(archive, root, caller)
    return folder


def read_batch(
    path: str, label_key: str, caller: str
) -> tuple[np.ndarray, list]:
    """Read one pickled CIFAR batch as `(images, labels)`.

    Returns:
        `uint8` images of shape `(n, 3, 32, 32)` (channels first, as stored)
        and the labels as stored (a list of ints).
    """
    # The batches were pickled by Python 2, whose strings load as bytes.
    batch = safe_pickle.load_pickle(path, encoding="bytes")
    if isinstance(batch, dict):
        batch = {
            k.decode() if isinstance(k, bytes) else k: v
            for k, v in batch.items()
        }
    if (
        not isinstance(batch, dict)
        or "data" not in batch
        or label_key not in batch
    ):
        keys = sorted(batch) if isinstance(batch, dict) else type(batch)
        raise ValueError(
            f"{caller}: {path} is not a CIFAR batch: expected a dict with "
            f"keys 'data' and {label_key!r}, received {keys}. Delete the "
            "folder holding it and call again to extract a fresh copy."
        )
    images = np.asarray(batch["data"], dtype=np.uint8)
    return images.reshape(len(images), 3, 32, 32), batch[label_key]


def to_image_layout(images: np.ndarray) -> np.ndarray:
    """Channels-first batches in `lamina.config.image_data_format()`."""
    if config.image_data_format() == "channels_last":
        return images.transpose(0, 2, 3, 1)
    return images


def load_data() -> cache.TrainTest:
    """Load CIFAR-10 as `(x_train, y_train), (x_test, y_test)`.

    Reads the batches Keras extracts into
    `<cache>/cifar-10-batches-py-target/cifar-10-batches-py/` (`<cache>` is
    `$KERAS_HOME/datasets`, else `~/.keras/datasets`). When they are missing,
    the archive `<cache>/cifar-10-batches-py-target_archive` is extracted,
    after downloading it (163 MB, checked against Keras's sha256) if needed.
    The batches are pickles, read by an unpickler that only builds arrays.

    Label `i` names the class `CLASS_NAMES[i]`: airplane, automobile, bird,
    cat, deer, dog, frog, horse, ship, truck.

    Returns:
        Two tuples of NumPy arrays:

        - `x_train`: `uint8` images of shape `(50000, 32, 32, 3)`, or
          `(50000, 3, 32, 32)` when `image_data_format()` is
          `"channels_first"`.
        - `y_train`: `uint8` labels 0–9 of shape `(50000, 1)`.
        - `x_test`: `uint8` images of shape `(10000, 32, 32, 3)`.
        - `y_test`: `uint8` labels of shape `(10000, 1)`.

    Raises:
        lamina.datasets.cache.DatasetUnavailableError: (an `OSError`) when the
            data is not cached and cannot be downloaded; the message names the
            path to copy the archive to and the URL to get it from.

    Example:

    >>> import lamina
    >>> (x_train, y_train), _ = (
    ...     lamina.datasets.cifar10.load_data())  # doctest: +SKIP
    >>> x_train.shape, y_train.shape  # doctest: +SKIP
    ((50000, 32, 32, 3), (50000, 1))
    >>> lamina.datasets.cifar10.CLASS_NAMES[0]
    'airplane'
    """
    caller = "cifar10.load_data"
    folder = batch_folder(
        "cifar-10-batches-py-target",
        "cifar-10-batches-py",
        _TRAIN + ("test_batch",),
        _URL,
        _SHA256,
        caller,
    )
    train = [
        read_batch(os.path.join(folder, name), "labels", caller)
        for name in _TRAIN
    ]
    x_train = np.concatenate([images for images, _ in train])
    y_train = np.concatenate(
        [np.asarray(labels, dtype=np.uint8) for _, labels in train]
    )
    x_test, y_test = read_batch(
        os.path.join(folder, "test_batch"), "labels", caller
    )
    y_test = np.asarray(y_test, dtype=np.uint8)
    return (
        (to_image_layout(x_train), y_train.reshape(-1, 1)),
        (to_image_layout(x_test), y_test.reshape(-1, 1)),
    )
