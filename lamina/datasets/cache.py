"""Keras's dataset cache: where files live, how they arrive, how they are read.

Files sit where Keras puts them (`$KERAS_HOME/datasets`, else
`~/.keras/datasets`, else `/tmp/.keras/datasets` when the home folder is not
writable) under Keras's file names, so data fetched once by either library is
reused by both. A missing file is downloaded with a timeout into a temporary
file, checked against the hash Keras records, and only then moved into place.
Cached files are trusted as they are, so they can be copied in by hand on an
offline machine; pickled content in them is therefore only ever read with
`lamina.datasets.safe_pickle`, which builds NumPy arrays and nothing else.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
from http.client import HTTPException
from urllib import request

import numpy as np

KERAS_DATASETS_URL = (
    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
)
DOWNLOAD_TIMEOUT = 60.0  # seconds without data before a download gives up

# What every `load_data` returns: `(x_train, y_train), (x_test, y_test)`.
Split = tuple[np.ndarray, np.ndarray]
TrainTest = tuple[Split, Split]


class DatasetUnavailableError(OSError):
    """A dataset file is not cached and could not be downloaded."""


def keras_home() -> str:
    """Keras's home folder: `$KERAS_HOME`, else `~/.keras` (or `/tmp/.keras`).

    Example:

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"KERAS_HOME": "/data/keras"}):
    ...     keras_home()
    '/data/keras'
    """
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    home = os.path.expanduser("~")
    if not os.access(home, os.W_OK):
        home = _tmp_root()
    return os.path.join(home, ".keras")


def _tmp_root() -> str:
    return "/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir()


def cache_dir(subdir: str = "datasets") -> str:
    """The folder holding Keras's cached datasets, created if missing.

    Args:
        subdir: folder inside the Keras home, `"datasets"` for most loaders.

    Returns:
        The absolute folder path.

    Example:

    >>> from unittest import mock
    >>> home = tempfile.mkdtemp()
    >>> with mock.patch.dict(os.environ, {"KERAS_HOME": home}):
    ...     cache_dir() == os.path.join(home, "datasets")
    True
    """
    base = os.path.expanduser(keras_home())
    try:
        # Importing Keras creates its home folder; do the same so that the
        # writability test below sees the folder Keras would use.
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if not os.access(base, os.W_OK):
        base = os.path.join(_tmp_root(), ".keras")
    folder = os.path.abspath(os.path.join(base, subdir))
    os.makedirs(folder, exist_ok=True)
    return folder


def cached_file(
    fname: str,
    origin: str,
    file_hash: str | None,
    caller: str,
    subdir: str = "datasets",
) -> str:
    """The path of a cached dataset file, downloading it when missing.

    Args:
        fname: file name inside the cache folder (no folder part).
        origin: URL to download it from.
        file_hash: sha256 (64 hex digits) or md5 (32) Keras records for the
            file, or `None` when Keras records none.
        caller: the public function asking, named in error messages.
        subdir: folder inside the Keras home.

    Returns:
        The absolute path of the file.

    Raises:
        ValueError: if `fname` holds a folder part, or the download does not
            match `file_hash`.
        DatasetUnavailableError: if the download fails (e.g. offline).
    """
    fname = os.fspath(fname)
    if not fname or os.path.basename(fname) != fname or "/" in fname:
        raise ValueError(
            f"Invalid value for argument `path` of {caller}: expected a file "
            "name inside the Keras cache folder, without folders. Received: "
            f"path={fname!r}. Pass a bare name such as 'mnist.npz'; set "
            "KERAS_HOME to move the cache folder."
        )
    target = os.path.join(cache_dir(subdir), fname)
    if not os.path.exists(target):
        download(origin, target, file_hash, caller)
    return target


def _hasher(file_hash: str | None):
    if file_hash is None:
        return None
    if len(file_hash) == 64:
        return hashlib.sha256()
    return hashlib.md5(usedforsecurity=False)


def download(
    origin: str, target: str, file_hash: str | None, caller: str
) -> None:
    """Download `origin` to `target` atomically, checking `file_hash`.

    The bytes go to a temporary file beside `target`, which replaces `target`
    only once complete and verified, so an interrupted or tampered download
    never looks like a cached file.
    """
    print(f"Downloading data from {origin}")
    hasher = _hasher(file_hash)
    fd, partial = tempfile.mkstemp(
        dir=os.path.dirname(target),
        prefix=os.path.basename(target) + ".",
        suffix=".part",
    )
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with request.urlopen(origin, timeout=DOWNLOAD_TIMEOUT) as src:
                    for chunk in iter(lambda: src.read(1 << 20), b""):
                        out.write(chunk)
                        if hasher is not None:
                            hasher.update(chunk)
            except (OSError, HTTPException) as error:
                raise DatasetUnavailableError(
                    f"{caller} could not download {origin} ({error}). If "
                    "this machine is offline, download that URL elsewhere "
                    f"and copy the file to {target} (lamina and Keras both "
                    "read it from there)."
                ) from error
        if hasher is not None and hasher.hexdigest() != file_hash:
            raise ValueError(
                f"{caller}: the file downloaded from {origin} is corrupted: "
                f"expected hash {file_hash}, received {hasher.hexdigest()}. "
                "It was not saved; call again to retry the download."
            )
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _unsafe_member(member: tarfile.TarInfo) -> str | None:
    name = member.name.replace("\\", "/")
    if (
        name.startswith("/")
        or os.path.isabs(member.name)
        or (len(name) > 1 and name[1] == ":")
    ):
        return "an absolute path"
    if ".." in name.split("/"):
        return "a '..' component"
    if not (member.isfile() or member.isdir()):
        return "a link or special file"
    return None


def safe_extract(archive: str, dest: str, caller: str) -> None:
    """Extract a tar archive into `dest`, refusing unsafe members.

    Every member must be a plain file or folder with a relative path that
    stays inside `dest`; otherwise nothing is written. Top-level entries are
    extracted into a temporary folder first and then moved into `dest`, so an
    interrupted extraction leaves no half-written entry behind.

    Raises:
        ValueError: if the archive is unreadable, or naming the first member
            with an absolute path, a `..` component, or a link or
            special-file type.
    """
    os.makedirs(dest, exist_ok=True)
    try:
        _extract(archive, dest, caller)
    except tarfile.TarError as error:
        raise ValueError(
            f"{caller}: {archive} is not a readable tar archive ({error}). "
            "Delete it and call again to download a clean copy."
        ) from error


def _extract(archive: str, dest: str, caller: str) -> None:
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        for member in members:
            reason = _unsafe_member(member)
            if reason is not None:
                raise ValueError(
                    f"{caller}: refusing to extract {archive}: member "
                    f"{member.name!r} has {reason}. Delete the file and call "
                    "again to download a clean copy."
                )
        staging = tempfile.mkdtemp(dir=dest, prefix=".extract-")
        try:
            # Python's own "data" filter (3.10.12+) is a second guard.
            extra = (
                {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            )
            tar.extractall(staging, members=members, **extra)
            for entry in os.listdir(staging):
                final = os.path.join(dest, entry)
                if os.path.isdir(final):
                    shutil.rmtree(final)
                os.replace(os.path.join(staging, entry), final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
