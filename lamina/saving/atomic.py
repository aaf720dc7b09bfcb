"""Atomic file writes: a crash mid-write leaves any old file whole."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from typing import Any, Callable


def atomic_write(path: str, write: Callable[[Any], None]) -> None:
    """Call `write(binary_file)` on a temporary file beside `path`, then
    rename it to `path`; on any failure the temporary file is removed and
    an existing `path` is left as it was."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            errno.ENOENT, f"Cannot save to {path}: the folder {folder} does "
            "not exist (or is not a folder)", path)
    if os.path.isdir(path):
        raise IsADirectoryError(
            errno.EISDIR, f"Cannot save to {path}: it is a folder", path)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise type(e)(e.errno, f"Cannot save to {path}: cannot write in the "
                      f"folder {folder} ({e.strerror})", path) from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def _file_mode(path: str) -> int:
    # mkstemp makes private files; give the result the mode of the file
    # it replaces, or the usual mode for a new file.
    with contextlib.suppress(OSError):
        return os.stat(path).st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
