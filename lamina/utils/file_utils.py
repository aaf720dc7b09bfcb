"""`get_file`: download a file into Keras's cache folder (Keras 3's
`keras.utils.get_file`), on the same atomic, hash-checked download and safe
extraction as `lamina.datasets`."""

from __future__ import annotations

from typing import Any

import hashlib
import os
import shutil
import tempfile
import zipfile
from urllib.parse import urlsplit

from lamina.datasets import cache
from lamina.errors import invalid_argument


def _file_hash(path: str, algorithm: str) -> str:
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _algorithm(file_hash: str, hash_algorithm: str) -> str:
    if hash_algorithm in ("sha256", "md5"):
        return hash_algorithm
    if hash_algorithm != "auto":
        raise ValueError(
            invalid_argument(
                "get_file",
                "hash_algorithm",
                "'auto', 'sha256' or 'md5'",
                hash_algorithm,
            )
        )
    return "sha256" if len(file_hash) == 64 else "md5"


def _targets(fname, origin, datadir, extract) -> tuple:
    """(download path, extraction folder or None), named as Keras names
    them."""
    given = bool(fname)
    fname = (
        os.fspath(fname) if given else os.path.basename(urlsplit(origin).path)
    )
    if not fname:
        raise ValueError(
            "get_file could not take a file name from the origin URL. Pass "
            f"`fname`. Received: origin={origin!r}"
        )
    if os.sep in fname:
        raise ValueError(
            "get_file takes a bare file name; use `cache_dir` to choose the "
            f"folder. Received: fname={fname!r}"
        )
    if not extract:
        return os.path.join(datadir, fname), None
    if given and "." in fname:
        stem = fname[: fname.find(".")]
        return (
            os.path.join(datadir, fname),
            os.path.join(datadir, f"{stem}_extracted"),
        )
    return (
        os.path.join(datadir, f"{fname}_archive"),
        os.path.join(datadir, fname),
    )


def _extract(archive: str, dest: str, archive_format: str) -> None:
    if archive_format in ("auto", "zip") and zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                parts = name.replace("\\", "/").split("/")
                if name.startswith(("/", "\\")) or ".." in parts:
                    raise ValueError(
                        f"get_file: refusing to extract {archive}: member "
                        f"{name!r} escapes the extraction folder."
                    )
            staging = tempfile.mkdtemp(dir=os.path.dirname(dest))
            try:
                zf.extractall(staging)
                if os.path.isdir(dest):
                    shutil.rmtree(dest)
                os.replace(staging, dest)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        return
    if archive_format == "zip":
        raise ValueError(f"get_file: {archive} is not a zip archive.")
    cache.safe_extract(archive, dest, "get_file")


def get_file(
    fname: Any = None,
    origin: Any = None,
    untar: bool = False,
    md5_hash: Any = None,
    file_hash: Any = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: str = "auto",
    cache_dir: Any = None,
    force_download: bool = False,
) -> str:
    """Download a file from a URL if it is not already in the cache.

    Files go to `cache_dir/cache_subdir` (default: Keras's home,
    `~/.keras/datasets`). A cached file is reused unless `force_download`
    or its hash differs from `file_hash`. Downloads are written to a
    temporary file and moved into place once complete and verified.

    Args:
        fname: file name in the cache (default: the URL's last part).
        origin: the URL.
        untar: deprecated; same as `extract=True` for tar archives.
        md5_hash: deprecated; use `file_hash`.
        file_hash: expected sha256 or md5 hex digest.
        cache_subdir: folder under the cache root.
        hash_algorithm: `"auto"`, `"sha256"` or `"md5"`.
        extract: extract a tar or zip archive; returns the folder.
        archive_format: `"auto"`, `"tar"` or `"zip"`.
        cache_dir: the cache root (default: Keras's home folder).
        force_download: download even if the file is cached.

    Returns:
        The path of the file, or of the extraction folder.

    Example:

    >>> import os, tempfile, lamina
    >>> root = tempfile.mkdtemp()
    >>> os.makedirs(os.path.join(root, "datasets"))
    >>> _ = open(os.path.join(root, "datasets", "a.txt"), "w").write("hi")
    >>> path = lamina.utils.get_file("a.txt", "https://example.com/a.txt",
    ...                              cache_dir=root)
    >>> open(path).read()
    'hi'
    """
    if origin is None:
        raise ValueError('get_file needs the "origin" argument (a URL).')
    file_hash = file_hash or md5_hash
    algorithm = _algorithm(file_hash, hash_algorithm) if file_hash else None
    root = os.path.expanduser(cache_dir) if cache_dir else cache.keras_home()
    datadir = os.path.join(root, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    target, folder = _targets(fname, origin, datadir, extract or untar)
    stale = (
        force_download
        or not os.path.exists(target)
        or (
            file_hash is not None and _file_hash(target, algorithm) != file_hash
        )
    )
    if stale:
        cache.download(origin, target, file_hash, "get_file")
    if folder is None:
        return target
    _extract(target, folder, "tar" if untar else archive_format)
    return folder
