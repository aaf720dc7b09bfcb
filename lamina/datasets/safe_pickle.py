"""Reading pickled dataset files without letting them run code.

CIFAR's batches are pickles, and imdb's and reuters' `.npz` files hold ragged
sequences as object arrays, which NumPy stores as pickles. A pickle can call
any function it names (`os.system`, ...), so these files are never read with
the plain `pickle` module: `ArrayUnpickler` allows only the few globals that
rebuild NumPy arrays, and everything else in the files is plain lists, dicts,
bytes and numbers, which need no globals at all.
"""

from __future__ import annotations

from typing import Any

import io
import pickle
import zipfile

import numpy as np

# The only globals a pickled NumPy array (any protocol, NumPy 1 or 2) needs.
_ARRAY_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.numeric", "_frombuffer"),
        ("numpy._core.numeric", "_frombuffer"),
    }
)


class ArrayUnpickler(pickle.Unpickler):
    """An unpickler that rebuilds NumPy arrays and plain containers only.

    Pickles can run any function they name; this one refuses every global
    outside NumPy's array reconstruction, so a tampered file raises
    `pickle.UnpicklingError` instead of running code.

    Example:

    >>> import os
    >>> ArrayUnpickler(io.BytesIO(pickle.dumps(np.arange(3)))).load()
    array([0, 1, 2])
    >>> ArrayUnpickler(io.BytesIO(pickle.dumps(os.system))).load()
    ... # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    pickle.UnpicklingError: Refusing to load the global `posix.system` ...
    """

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ARRAY_GLOBALS:
            raise pickle.UnpicklingError(
                f"Refusing to load the global `{module}.{name}` from a "
                "dataset file: only NumPy arrays are allowed. The file is "
                "corrupted or malicious; delete it and download it again."
            )
        try:
            return super().find_class(module, name)
        except ImportError:
            # A file pickled under NumPy 2 read by NumPy 1, or the reverse.
            other = (
                module.replace("._core", ".core")
                if "._core" in module
                else module.replace(".core", "._core")
            )
            return super().find_class(other, name)


def load_pickle(path: str, encoding: str = "ASCII") -> Any:
    """Unpickle `path` with `ArrayUnpickler`."""
    with open(path, "rb") as f:
        return ArrayUnpickler(f, encoding=encoding).load()


def _read_npy(stream: io.BytesIO) -> np.ndarray:
    version = np.lib.format.read_magic(stream)
    read_header = (
        np.lib.format.read_array_header_1_0
        if version[0] == 1
        else np.lib.format.read_array_header_2_0
    )
    _, _, dtype = read_header(stream)
    if not dtype.hasobject:
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)
    # Object arrays (ragged sequences) are stored as a pickle after the
    # header; version 3 headers differ from 2 only in their text encoding.
    return ArrayUnpickler(stream).load()


def load_npz(path: str) -> dict[str, np.ndarray]:
    """Read every array of an `.npz` file, object arrays included, safely.

    Numeric arrays are read with pickling off; object arrays go through
    `ArrayUnpickler`. This replaces `np.load(path, allow_pickle=True)`.

    Args:
        path: the `.npz` file.

    Returns:
        A dict from array name to array.
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".npy"):
                arrays[name[:-4]] = _read_npy(io.BytesIO(archive.read(name)))
    return arrays
