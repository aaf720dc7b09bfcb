"""Atomic file writes: a crash mid-write leaves any old file whole.

The data goes to a hidden temporary file beside the target,
`.<name>.<8 random characters>.tmp`, renamed over the target once whole.
A process killed mid-write leaves its temporary file behind; the next
write to the same target removes those left by processes that are gone
(files of this pattern older than the running process: a process
writing the same target now has touched its file since it started).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from typing import Any, Callable

_IMPORTED = time.time()


def atomic_write(path: str, write: Callable[[Any], None]) -> None:
    """Call `write(binary_file)` on a temporary file beside `path`, then
    rename it to `path`; on any failure the temporary file is removed and
    an existing `path` is left as it was."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            errno.ENOENT,
            f"Cannot save to {path}: the folder {folder} does "
            "not exist (or is not a folder)",
            path,
        )
    if os.path.isdir(path):
        raise IsADirectoryError(
            errno.EISDIR, f"Cannot save to {path}: it is a folder", path
        )
    remove_stale_temporaries(path)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder
        )
    except OSError as e:
        raise type(e)(
            e.errno,
            f"Cannot save to {path}: cannot write in the "
            f"folder {folder} ({e.strerror})",
            path,
        ) from None
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


def _process_start() -> float:
    """When this process started (Linux's /proc), else when this module
    was imported."""
    try:
        with open("/proc/self/stat") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat") as f:
            boot = next(
                int(line.split()[1]) for line in f if line.startswith("btime ")
            )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return _IMPORTED


def remove_stale_temporaries(path: str) -> list[str]:
    """Remove the temporary files that writes to `path` killed mid-way
    left beside it: only names of `atomic_write`'s own pattern for this
    target, last modified before this process started (less a second:
    the boot time is known to the second). Returns the removed paths."""
    folder = os.path.dirname(os.path.abspath(path))
    # mkstemp's names: the prefix, 8 characters of [a-z0-9_], the suffix.
    pattern = re.compile(
        r"\." + re.escape(os.path.basename(path)) + r"\.[a-z0-9_]{8}\.tmp"
    )
    before = _process_start() - 1.0
    removed = []
    with contextlib.suppress(OSError):
        names = os.listdir(folder)
        for name in names:
            if not pattern.fullmatch(name):
                continue
            stale = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                if (
                    os.lstat(stale).st_mtime < before
                    and os.path.isfile(stale)
                    and not os.path.islink(stale)
                ):
                    os.remove(stale)
                    removed.append(stale)
    return removed
