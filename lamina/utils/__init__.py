"""Utilities: `to_categorical`, `set_random_seed`, `get_file`, ..."""

from __future__ import annotations

from lamina.config import set_random_seed as set_random_seed
from lamina.utils.numerical_utils import normalize as normalize
from lamina.utils.progbar import Progbar as Progbar
from lamina.utils.py_dataset import PyDataset as PyDataset
from lamina.utils.numerical_utils import to_categorical as to_categorical


def clear_session() -> None:
    """Reset auto-naming (`dense`, `dense_1`, ...), as Keras does."""
    from lamina.engine import naming

    naming.reset_names()


def get_file(*args, **kwargs) -> str:
    """Download a file into Keras's cache folder; see
    `lamina.utils.file_utils.get_file` (imported on first use)."""
    from lamina.utils.file_utils import get_file as impl

    return impl(*args, **kwargs)


__all__ = ["Progbar", "PyDataset", "clear_session", "get_file", "normalize",
           "set_random_seed", "to_categorical"]
