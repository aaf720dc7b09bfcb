"""Checks on an untrusted `.keras` archive, run before any of it is used.

A `.keras` file may come from anywhere, so it is parsed as hostile data:

- the whole file is read into memory once (no second read can see other
  bytes) and must be a well-formed zip;
- member names may not be absolute, contain `..`, backslashes or NUL, or
  repeat; members are never extracted to disk;
- the number of members, each member's size, the total size and each
  member's compression ratio are bounded (decompression bombs);
- `config.json` and `model.weights.h5` must be present; the JSON members
  must be UTF-8 JSON objects of the expected types, nested no deeper than
  `MAX_JSON_DEPTH`;
- the weights file may hold only groups and plain numeric datasets stored
  in the file itself: no soft, external or user-defined links, no external
  or virtual datasets, no declared size beyond the limits.

Every problem is a `ValueError` naming the file and what is wrong; a file
that cannot be opened is an `OSError` naming the path.
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import zipfile
from typing import Any, NamedTuple

import h5py
import numpy as np
import torch
from torch.overrides import TorchFunctionMode

from lamina.saving import h5_reading

CONFIG_NAME = "config.json"
METADATA_NAME = "metadata.json"
WEIGHTS_NAME = "model.weights.h5"
ASSETS_DIR = "assets"

# Limits, module-level so that an application (or a test) can tune them.
MAX_ARCHIVE_BYTES = 32 << 30
MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 32 << 30
MAX_TOTAL_BYTES = 64 << 30
MAX_JSON_BYTES = 64 << 20
MAX_JSON_DEPTH = 200
# Keras stores members uncompressed; DEFLATE tops out near 1032:1. Above the
# floor, a member that expands more than MAX_RATIO times is a bomb.
RATIO_FLOOR_BYTES = 16 << 20
MAX_RATIO = 100
MAX_H5_OBJECTS = 200_000
MAX_H5_DEPTH = 64
# While a model is built from an archive, the tensors its config makes
# torch allocate may total at most this floor plus ALLOCATION_FACTOR times
# the bytes of the weights the model reads from the archive (weights,
# optimizer slots, temporaries); and one tensor larger than
# LARGE_ALLOCATION_BYTES must have as many elements as one of those
# weights (which it is, or a temporary of, or a slot for).
ALLOCATION_FLOOR_BYTES = 256 << 20
ALLOCATION_FACTOR = 8
LARGE_ALLOCATION_BYTES = 64 << 20

_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


class DatasetSize(NamedTuple):
    """What a weights dataset declares: its bytes and its element count."""

    nbytes: int
    count: int  # type: ignore[assignment]  # shadows tuple.count: our name


class Archive(NamedTuple):
    """The checked contents of a `.keras` archive."""

    path: str
    metadata: dict
    config: dict
    weights: bytes
    assets: dict = {}  # `assets/...` member name -> bytes (vocabularies)


def read_archive(path: str, data: bytes | None = None) -> Archive:
    """Read and check the `.keras` archive at `path` (or held in `data`,
    read from a file object, with `path` naming it).

    Raises:
        OSError: the file cannot be read.
        ValueError: the file is not a well-formed, bounded `.keras`
            archive (the message says what is wrong).
    """
    if data is None:
        data = _read_file(path)
    zf = _open_zip(data, path)
    with zf:
        infos = check_members(zf, path)
        config = parse_json_member(zf, infos, CONFIG_NAME, path)
        check_config(config, f"{path}:{CONFIG_NAME}")
        metadata = {}
        if METADATA_NAME in infos:
            metadata = parse_json_member(zf, infos, METADATA_NAME, path)
            check_metadata(metadata, f"{path}:{METADATA_NAME}")
        weights = _read_member(zf, infos[WEIGHTS_NAME], path)
        assets = {
            name: _read_member(zf, info, path)
            for name, info in infos.items()
            if name.startswith(ASSETS_DIR + "/") and not name.endswith("/")
        }
    return Archive(path, metadata, config, weights, assets)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def open_regular_file(path: str) -> io.BufferedReader:
    """Open `path` for reading only if it is a regular file.

    The file is opened without blocking and checked through its own
    descriptor, so a FIFO or a device (`/dev/zero`) is refused before a
    byte is read, and no other file can be swapped in between.

    Raises:
        FileNotFoundError: nothing is at `path`.
        IsADirectoryError: `path` is a folder.
        ValueError: `path` is a FIFO, a device or a socket.
        OSError: the file cannot be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise IsADirectoryError(
            errno.EISDIR,
            f"Cannot load {path}: it is a folder, not a file",
            path,
        ) from None
    except OSError as e:
        raise type(e)(
            e.errno, f"Cannot read {path}: {e.strerror}", path
        ) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(
                errno.EISDIR,
                f"Cannot load {path}: it is a folder, not a file",
                path,
            )
        raise ValueError(
            f"Cannot load {path}: it is {_kind(mode)}, not a regular file. "
            "Pass the path of a file written by `save()` (or an open "
            f"binary file object). Received: filepath={path}"
        )
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def check_regular_file(path: str) -> None:
    """Raise as `open_regular_file` does unless `path` is a regular file
    (for readers, such as h5py, that open the path themselves)."""
    open_regular_file(path).close()


def read_bounded(f: Any, where: str) -> bytes:
    """All of an open binary file, refused above `MAX_ARCHIVE_BYTES`."""
    chunks, total = [], 0
    try:
        # In chunks: `read(n)` may reserve n bytes before reading any.
        while total <= MAX_ARCHIVE_BYTES:
            chunk = f.read(min(1 << 24, MAX_ARCHIVE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as e:
        raise type(e)(
            e.errno, f"Cannot read {where}: {e.strerror}", where
        ) from None
    if not all(isinstance(c, bytes) for c in chunks):
        raise ValueError(
            f"Cannot load {where}: expected a file opened in binary mode "
            f"('rb'). Received a {type(chunks[0]).__name__} from read()."
        )
    data = b"".join(chunks)
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ValueError(
            f"Refusing to load {where}: the file holds more than the limit "
            f"of {MAX_ARCHIVE_BYTES} bytes "
            "(lamina.saving.archive_checks.MAX_ARCHIVE_BYTES)."
        )
    if not data:
        raise ValueError(f"Cannot load {where}: the file is empty.")
    return data


def _read_file(path: str) -> bytes:
    with open_regular_file(path) as f:
        check_file_size(os.fstat(f.fileno()).st_size, path)
        return read_bounded(f, path)


def check_file_size(size: int, path: str) -> None:
    """Refuse a file larger than `MAX_ARCHIVE_BYTES` before reading it."""
    if size > MAX_ARCHIVE_BYTES:
        raise ValueError(
            f"Refusing to load {path}: the file is {size} bytes, more "
            f"than the limit of {MAX_ARCHIVE_BYTES} bytes "
            "(lamina.saving.archive_checks.MAX_ARCHIVE_BYTES)."
        )


def _open_zip(data: bytes, path: str) -> zipfile.ZipFile:
    if data.startswith(_HDF5_SIGNATURE):
        raise ValueError(
            f"Cannot load {path}: it is an HDF5 file, not a `.keras` zip "
            "archive. A `.weights.h5` file holds weights only: build the "
            "model, then call `model.load_weights(path)`. A legacy `.h5` "
            "model file loads when its name ends in `.h5`."
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data), "r")
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        OSError,
        NotImplementedError,
    ) as e:
        raise ValueError(
            f"Cannot load {path}: it is not a valid `.keras` archive (not a "
            f"zip file, or truncated or corrupt: {e})."
        ) from None


def check_member_name(name: str, path: str) -> None:
    """Refuse member names that could point outside a folder."""
    parts = name.replace("\\", "/").split("/")
    bad = (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or ".." in parts
        or any(p == "" for p in parts[:-1])
    )
    if bad:
        raise ValueError(
            f"Refusing to load {path}: the archive member name {name!r} is "
            "unsafe (absolute, with '..', a backslash, a drive or NUL)."
        )


def check_members(zf: zipfile.ZipFile, path: str) -> dict:
    """Check names, count, sizes and ratios; return `{name: ZipInfo}`."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ValueError(
            f"Refusing to load {path}: the archive has {len(infos)} "
            f"members, more than the limit of {MAX_MEMBERS}."
        )
    by_name, total = {}, 0
    for info in infos:
        check_member_name(info.filename, path)
        if info.filename in by_name:
            raise ValueError(
                f"Refusing to load {path}: the archive member "
                f"{info.filename!r} appears more than once."
            )
        by_name[info.filename] = info
        _check_member_size(info, path)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise ValueError(
            f"Refusing to load {path}: its members expand to {total} bytes,"
            f" more than the limit of {MAX_TOTAL_BYTES}."
        )
    for required in (CONFIG_NAME, WEIGHTS_NAME):
        if required not in by_name:
            raise ValueError(
                f"Cannot load {path}: the archive has no `{required}` member"
                f" (members: {sorted(by_name)[:20]}). It was not written by "
                "`model.save()`, or it was damaged."
            )
    return by_name


def _check_member_size(info: zipfile.ZipInfo, path: str) -> None:
    name, size = info.filename, info.file_size
    limit = (
        MAX_JSON_BYTES
        if name.endswith(".json") and "/" not in name
        else MAX_MEMBER_BYTES
    )
    if size > limit:
        raise ValueError(
            f"Refusing to load {path}: the member {name!r} expands to {size}"
            f" bytes, more than the limit of {limit}."
        )
    if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        raise ValueError(
            f"Refusing to load {path}: the member {name!r} declares {size} "
            f"bytes but stores only {info.compress_size}; this looks like a "
            "decompression bomb."
        )


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str
) -> bytes:
    try:
        # zipfile stops at the declared size, which was bounded above.
        with zf.open(info, "r") as f:
            data = f.read(info.file_size + 1) if info.file_size else f.read(1)
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
        UnicodeDecodeError,
    ) as e:
        raise ValueError(
            f"Cannot load {path}: the member {info.filename!r} is corrupt "
            f"or unreadable ({e})."
        ) from None
    if len(data) != info.file_size:
        raise ValueError(
            f"Cannot load {path}: the member {info.filename!r} holds "
            f"{len(data)} bytes but declares {info.file_size}."
        )
    return data


def parse_json_member(
    zf: zipfile.ZipFile, infos: dict, name: str, path: str
) -> Any:
    """The JSON value of member `name`, decoded strictly as UTF-8."""
    raw = _read_member(zf, infos[name], path)
    return parse_json(raw, f"{path}:{name}")


def parse_json(raw: bytes | str, where: str) -> Any:
    """Decode JSON text, turning every decoding failure into ValueError."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        value = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ValueError(
            f"Cannot load {where}: malformed JSON ({e})."
        ) from None
    _check_depth(value, where)
    return value


def _check_depth(value: Any, where: str) -> None:
    # Iterative, so that a deep file cannot exhaust the Python stack here.
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValueError(
                f"Cannot load {where}: the JSON is nested more than "
                f"{MAX_JSON_DEPTH} levels deep."
            )
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _type_problem(obj: dict, key: str, types: tuple, where: str) -> None:
    if key in obj and not isinstance(obj[key], types):
        names = " or ".join(t.__name__ for t in types)
        raise ValueError(
            f"Cannot load {where}: `{key}` must be {names}. Received: "
            f"{key}={obj[key]!r:.200}"
        )


def check_config(config: Any, where: str) -> None:
    """The model config must be a serialized object: a dict with a string
    `class_name`, a dict `config` and optional typed keys."""
    if not isinstance(config, dict):
        raise ValueError(
            f"Cannot load {where}: expected a JSON object describing the "
            f"model. Received a {type(config).__name__}."
        )
    for key in ("class_name", "config"):
        if key not in config:
            raise ValueError(
                f"Cannot load {where}: the model config has no `{key}` key."
            )
    _type_problem(config, "class_name", (str,), where)
    _type_problem(config, "config", (dict,), where)
    none = type(None)
    for key in ("module", "registered_name"):
        _type_problem(config, key, (str, none), where)
    for key in ("compile_config", "build_config"):
        _type_problem(config, key, (dict, none), where)


def check_metadata(metadata: Any, where: str) -> None:
    """`metadata.json` must be an object of string values."""
    if not isinstance(metadata, dict):
        raise ValueError(
            f"Cannot load {where}: expected a JSON object. Received a "
            f"{type(metadata).__name__}."
        )
    for key in metadata:
        _type_problem(metadata, key, (str,), where)


def open_weights(data: bytes, where: str) -> tuple[h5py.File, dict]:
    """Open checked weights bytes as a read-only in-memory HDF5 file;
    return it with `{dataset path: DatasetSize}`."""
    if not data.startswith(_HDF5_SIGNATURE):
        raise ValueError(
            f"Cannot load {where}: `{WEIGHTS_NAME}` is not an HDF5 file."
        )
    try:
        f = h5py.File(io.BytesIO(data), "r")
    except Exception as e:  # h5py reports damage with many types
        raise ValueError(
            f"Cannot load {where}: `{WEIGHTS_NAME}` is corrupt ({e})."
        ) from None
    try:
        declared = check_h5(f, where)
    except BaseException:
        f.close()
        raise
    return f, declared


def check_h5(f: h5py.File, where: str) -> dict:
    """Allow only hard-linked groups and plain numeric in-file datasets;
    return `{dataset path: DatasetSize}` (paths without the leading
    `/`)."""
    try:
        return _walk_h5(f, where)
    except ValueError:
        raise
    except Exception as e:  # damage deep inside the file
        raise ValueError(
            f"Cannot load {where}: its HDF5 weights file is corrupt ({e})."
        ) from None


def _walk_h5(f: h5py.File, where: str) -> dict:
    stack, seen, sizes = [(f, 0)], 0, {}
    while stack:
        group, depth = stack.pop()
        if depth > MAX_H5_DEPTH:
            raise ValueError(
                f"Cannot load {where}: the weights file nests groups more "
                f"than {MAX_H5_DEPTH} deep."
            )
        for name in group:
            seen += 1
            if seen > MAX_H5_OBJECTS:
                raise ValueError(
                    f"Cannot load {where}: the weights file has more than "
                    f"{MAX_H5_OBJECTS} objects."
                )
            link = group.get(name, getlink=True)
            if not isinstance(link, h5py.HardLink):
                raise ValueError(
                    f"Refusing to load {where}: the weights file has a "
                    f"{type(link).__name__} at {group.name}/{name}; only "
                    "plain groups and datasets are allowed."
                )
            item = group[name]
            if isinstance(item, h5py.Group):
                stack.append((item, depth + 1))
            else:
                sizes[item.name.lstrip("/")] = _check_dataset(item, where)
    total = sum(size.nbytes for size in sizes.values())
    if total > MAX_MEMBER_BYTES:
        raise ValueError(
            f"Refusing to load {where}: the weights declare {total} bytes, "
            f"more than the limit of {MAX_MEMBER_BYTES}."
        )
    return sizes


def _check_dataset(ds: Any, where: str) -> DatasetSize:
    if not isinstance(ds, h5py.Dataset):
        raise ValueError(
            f"Refusing to load {where}: unexpected object {ds.name} of type "
            f"{type(ds).__name__} in the weights file."
        )
    if ds.external or ds.is_virtual:
        raise ValueError(
            f"Refusing to load {where}: the dataset {ds.name} reads its "
            "data from another file (external or virtual dataset)."
        )
    # Judged from the type's header: converting an unexpected type to a
    # NumPy dtype, or reading it, is what a damaged file can crash.
    if ds.shape is None or not h5_reading.is_numeric(ds, where):
        raise ValueError(
            f"Refusing to load {where}: the dataset {ds.name} has type "
            f"{type(ds.id.get_type()).__name__}; weights must be plain "
            "numbers."
        )
    count = int(np.prod(ds.shape, dtype=np.float64))
    declared = count * ds.id.get_type().get_size()
    stored = ds.id.get_storage_size()
    # A chunked, compressed dataset can declare a huge shape and store
    # almost nothing. Only datasets whose shape matches a weight of the
    # model are ever read (`h5_reading.read_array`), so this bounds the
    # file, not the reading.
    if declared > MAX_MEMBER_BYTES or (
        declared > RATIO_FLOOR_BYTES and declared > MAX_RATIO * stored
    ):
        raise ValueError(
            f"Refusing to load {where}: the dataset {ds.name} declares "
            f"{declared} bytes but stores {stored}; this exceeds the limits "
            "(a shape or decompression bomb)."
        )
    return DatasetSize(declared, count)


# -- what building the model may allocate -------------------------------------

_SIZE_FIRST = (torch.empty, torch.zeros, torch.ones, torch.rand, torch.randn)
_NEW = (
    torch.Tensor.new_empty,
    torch.Tensor.new_zeros,
    torch.Tensor.new_ones,
    torch.Tensor.new_full,
)


def _size_argument(func: Any, args: tuple, kwargs: dict) -> Any:
    if "size" in kwargs:
        return kwargs["size"]
    if func in _NEW:
        return args[1] if len(args) > 1 else None
    if func is torch.full:
        return args[0] if args else None
    if func is torch.randint:
        return next((a for a in args if isinstance(a, (tuple, list))), None)
    if func is torch.eye:
        n = args[0] if args else kwargs.get("n")
        m = args[1] if len(args) > 1 and isinstance(args[1], int) else n
        return (n, m)
    if len(args) == 1 and isinstance(args[0], (tuple, list, torch.Size)):
        return args[0]
    return args


def _requested(func: Any, args: tuple, kwargs: dict) -> tuple[int, int]:
    """(bytes, elements) that a factory call asks for."""
    device = kwargs.get("device")
    if func in _NEW and args and isinstance(args[0], torch.Tensor):
        device = device or args[0].device
    if device is not None and torch.device(device).type == "meta":
        return 0, 0  # shape inference: nothing is allocated
    size = _size_argument(func, args, kwargs)
    dims = [size] if isinstance(size, int) else list(size or ())
    if not all(isinstance(d, int) and not isinstance(d, bool) for d in dims):
        return 0, 0  # torch itself rejects it
    dtype = kwargs.get("dtype") or torch.get_default_dtype()
    count = int(np.prod([max(d, 0) for d in dims], dtype=np.float64))
    return count * getattr(dtype, "itemsize", 8), count


class AllocationGuard(TorchFunctionMode):
    """Refuse the torch allocations a hostile config could ask for while a
    model is built from an archive (a `Dense` with a billion units would
    otherwise fill the memory before any check could see the weights).

    Args:
        datasets: the `DatasetSize`s of the weights the model will read
            (never a dataset no layer reads: its size says nothing about
            the model).
        where: the archive, for the error message.
    """

    _FACTORIES = frozenset(
        _SIZE_FIRST + _NEW + (torch.full, torch.randint, torch.eye)
    )

    def __init__(self, datasets: list, where: str):
        super().__init__()
        self.limit = ALLOCATION_FLOOR_BYTES + ALLOCATION_FACTOR * sum(
            d.nbytes for d in datasets
        )
        self.counts = {d.count for d in datasets}
        self.where = where
        self.total = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in self._FACTORIES:
            size, count = _requested(func, args, kwargs)
            if size > LARGE_ALLOCATION_BYTES and count not in self.counts:
                raise ValueError(
                    f"Refusing to load {self.where}: building its model "
                    f"would allocate a tensor of {count} elements ({size} "
                    "bytes), and no weight in the file has that many; its "
                    "config asks for sizes its weights cannot fill. If the "
                    "file is trusted, raise lamina.saving.archive_checks."
                    "LARGE_ALLOCATION_BYTES."
                )
            self.total += size
            if self.total > self.limit:
                raise ValueError(
                    f"Refusing to load {self.where}: building its model "
                    f"would allocate more than {self.limit} bytes of "
                    "tensors, far more than its weights hold; its config "
                    "asks for sizes its weights cannot fill. If the file "
                    "is trusted, raise lamina.saving.archive_checks."
                    "ALLOCATION_FLOOR_BYTES."
                )
        return func(*args, **kwargs)
