"""Utilities: `to_categorical`, `set_random_seed`, `get_file`, ..."""

from __future__ import annotations

from lamina.config import set_random_seed as set_random_seed
from lamina.utils.numerical_utils import normalize as normalize
from lamina.utils.progbar import Progbar as Progbar
from lamina.utils.py_dataset import PyDataset as PyDataset
from lamina.utils.numerical_utils import to_categorical as to_categorical


def clear_session(free_memory: bool = True) -> None:
    """Reset auto-naming (`dense`, `dense_1`, ...), as Keras does; with
    `free_memory`, also collect garbage and empty the CUDA cache."""
    from lamina.backend import clear_session as impl

    impl(free_memory=free_memory)


def get_file(fname=None, origin=None, untar=False, md5_hash=None,
             file_hash=None, cache_subdir="datasets", hash_algorithm="auto",
             extract=False, archive_format="auto", cache_dir=None,
             force_download=False) -> str:
    """Download a file into Keras's cache folder; see
    `lamina.utils.file_utils.get_file` (imported on first use)."""
    from lamina.utils.file_utils import get_file as impl

    return impl(fname=fname, origin=origin, untar=untar, md5_hash=md5_hash,
                file_hash=file_hash, cache_subdir=cache_subdir,
                hash_algorithm=hash_algorithm, extract=extract,
                archive_format=archive_format, cache_dir=cache_dir,
                force_download=force_download)


__all__ = ["Progbar", "PyDataset", "clear_session", "get_file", "normalize",
           "set_random_seed", "to_categorical"]
