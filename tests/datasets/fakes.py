"""Tiny dataset files in the real formats, for the loader tests."""

import gzip
import io
import pickle
import tarfile

import numpy as np


def ragged(rng, count, low=1, high=30, min_len=2, max_len=9):
    """A 1-D object array of `count` lists of word indices, ragged."""
    out = np.empty(count, dtype=object)
    for i in range(count):
        length = int(rng.integers(min_len, max_len + 1))
        out[i] = [int(w) for w in rng.integers(low, high, size=length)]
    return out


def write_idx(path, array):
    """Write `array` (uint8) as a gzipped IDX file, as Fashion-MNIST's."""
    array = np.asarray(array, dtype=np.uint8)
    header = np.array([2048 + array.ndim, *array.shape], dtype=">u4")
    with gzip.open(path, "wb") as f:
        f.write(header.tobytes() + array.tobytes())


def cifar_batch(rng, count, label_keys, label_high):
    """A CIFAR batch dict as the real (Python 2) pickles hold it."""
    batch = {
        b"batch_label": b"fake batch",
        b"data": rng.integers(0, 256, size=(count, 3072), dtype=np.uint8),
        b"filenames": [b"img_%d.png" % i for i in range(count)],
    }
    for key in label_keys:
        batch[key] = [int(v) for v in rng.integers(0, label_high, count)]
    return batch


def write_tar(path, members):
    """Write a .tar.gz holding `{name: bytes}`."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def pickled(obj):
    """A batch pickled as the brief's fakes are: `pickle.dumps`, bytes keys.

    (The real batches are Python 2 pickles, whose strings load as bytes
    under `encoding="bytes"`; Python 3 bytes under the default protocol load
    the same way and need no extra globals.)
    """
    return pickle.dumps(obj)
