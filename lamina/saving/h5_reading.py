"""Reading values from an HDF5 file lamina did not just write.

A damaged or hostile file can declare any type for any attribute or
dataset. Reading a value makes HDF5 convert it to the type asked for,
and some conversions (a variable-length sequence where a string was
written, for one) crash the interpreter inside the HDF5 library. So
every value is read here, after its type class and shape were checked
through h5py's low-level API, which inspects the file's headers without
converting any data:

- attributes lamina reads are strings (fixed or variable length),
  scalar or one-dimensional, of bounded size;
- datasets lamina reads hold plain numbers (integers, floats, booleans,
  or two opaque bytes marked `bfloat16` as Keras stores them).

Anything else is a `ValueError` naming the file and the object. Errors
that h5py raises for damaged headers (`RuntimeError`, `KeyError`,
`TypeError`, ...) become `ValueError` too, through `damage_is_value_error`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import h5py
import numpy as np

_NUMERIC = (h5py.h5t.INTEGER, h5py.h5t.FLOAT)
# Whether `write_array` adds Fletcher-32 checksums (off only to measure
# their cost).
CHECKSUMS = True


@contextlib.contextmanager
def damage_is_value_error(where: str) -> Iterator[None]:
    """Turn the errors h5py raises for a damaged file into `ValueError`
    (the documented error of every loader); `OSError` passes as is."""
    try:
        yield
    except (ValueError, OSError, MemoryError):
        raise
    except Exception as e:  # noqa: BLE001 - damaged headers raise anything
        raise ValueError(
            f"Cannot load {where}: the HDF5 file is damaged "
            f"({type(e).__name__}: {e})."
        ) from None


def attribute_names(obj: Any, where: str) -> list[str]:
    """The names of `obj`'s attributes (decoded), without their values."""
    with damage_is_value_error(where):
        names = list(obj.attrs.keys())
    return [
        n.decode("utf-8", "replace") if isinstance(n, bytes) else str(n)
        for n in names
    ]


def read_strings(obj: Any, name: str, where: str) -> Any:
    """The string attribute `name` of `obj` (a `str`, or a list of `str`
    for a one-dimensional attribute), or None when there is none.

    Raises:
        ValueError: the attribute is not a string or a list of strings,
            or holds more than `archive_checks.MAX_JSON_BYTES`.
    """
    with damage_is_value_error(where):
        if name not in attribute_names(obj, where):
            return None
        attr = obj.attrs.get_id(name)
        kind = attr.get_type()
        shape = attr.shape
        if shape == (0,):  # an empty list: h5py writes it as floats
            return []
        if (
            kind.get_class() != h5py.h5t.STRING
            or shape is None
            or len(shape) > 1
        ):
            raise ValueError(
                f"Cannot load {where}: the attribute `{name}` of {obj.name} "
                f"must be a string or a list of strings; the file declares "
                f"a {type(kind).__name__} of shape {shape}."
            )
        count = int(np.prod(shape, dtype=np.float64)) if shape else 1
        _check_size(count * kind.get_size(), obj, name, where)
        value = obj.attrs[name]
    items = value.ravel().tolist() if isinstance(value, np.ndarray) else [value]
    items = [
        v.decode("utf-8", "replace") if isinstance(v, bytes) else v
        for v in items
    ]
    if not all(isinstance(v, str) for v in items):
        raise ValueError(
            f"Cannot load {where}: the attribute `{name}` of {obj.name} "
            "must hold strings."
        )
    _check_size(sum(len(v) for v in items), obj, name, where)
    return items if shape else items[0]


def _check_size(size: int, obj: Any, name: str, where: str) -> None:
    from lamina.saving import archive_checks  # which imports this module

    limit = archive_checks.MAX_JSON_BYTES
    if size > limit:
        raise ValueError(
            f"Refusing to load {where}: the attribute `{name}` of "
            f"{obj.name} holds {size} bytes, more than the limit of "
            f"{limit} (lamina.saving.archive_checks.MAX_JSON_BYTES)."
        )


def write_array(
    group: h5py.Group, name: str, value: np.ndarray
) -> h5py.Dataset:
    """Write `value` as the dataset `name` of `group`, with HDF5's
    Fletcher-32 checksum (verified by HDF5 whenever the data is read)
    when it has elements: the filter needs chunked storage, which a
    scalar or an empty array cannot have."""
    value = np.asarray(value)
    checksum = CHECKSUMS and value.ndim > 0 and value.size > 0
    return group.create_dataset(name, data=value, fletcher32=checksum)


def is_bfloat16(ds: h5py.Dataset, where: str) -> bool:
    """Whether `ds` holds bfloat16 as Keras stores it: two opaque bytes
    with the string attribute `dtype` set to `"bfloat16"`."""
    kind = ds.id.get_type()
    return (
        kind.get_class() == h5py.h5t.OPAQUE
        and kind.get_size() == 2
        and read_strings(ds, "dtype", where) == "bfloat16"
    )


def is_numeric(ds: h5py.Dataset, where: str) -> bool:
    """Whether `ds` holds plain numbers (booleans are an HDF5 enum over
    an integer) or Keras's bfloat16, judged from its type's header."""
    kind = ds.id.get_type()
    if kind.get_class() in _NUMERIC:
        return True
    if kind.get_class() == h5py.h5t.ENUM:
        return kind.get_super().get_class() == h5py.h5t.INTEGER
    return is_bfloat16(ds, where)


def read_array(ds: h5py.Dataset, shape: tuple, where: str) -> np.ndarray:
    """The values of a numeric dataset whose declared shape must be
    `shape`; nothing is read (or decompressed) when it is not."""
    if tuple(ds.shape or ()) != tuple(shape) or not is_numeric(ds, where):
        raise ValueError(
            f"Cannot load {where}: the dataset {ds.name} declares shape "
            f"{ds.shape} and type {type(ds.id.get_type()).__name__}; "
            f"expected numbers of shape {tuple(shape)}."
        )
    with damage_is_value_error(where):
        try:
            return np.asarray(ds[()])
        except OSError as e:  # a failed checksum or a damaged chunk
            raise ValueError(
                f"Cannot load {where}: the data of {ds.name} is damaged ({e})."
            ) from None
