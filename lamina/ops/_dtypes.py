"""Keras's dtype names, their torch dtypes, and Keras's promotion rules.

The ops follow Keras 3 on its torch backend, which differs from plain
`lamina.utils.dtype_utils` in three places: a Python `int` means `int32`,
`uint16`/`uint32` are stored as `int32`/`int64` (torch lacks full unsigned
support), and `result_type` folds 64-bit results to 32 bits as JAX does.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import torch

from lamina import config

_NAME_TO_TORCH = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "uint8": torch.uint8,
    "uint16": torch.int32,
    "uint32": torch.int64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bool": torch.bool,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_TORCH_TO_NAME = {
    torch.float16: "float16",
    torch.bfloat16: "bfloat16",
    torch.float32: "float32",
    torch.float64: "float64",
    torch.uint8: "uint8",
    torch.uint16: "uint16",
    torch.uint32: "uint32",
    torch.uint64: "uint64",
    torch.int8: "int8",
    torch.int16: "int16",
    torch.int32: "int32",
    torch.int64: "int64",
    torch.bool: "bool",
    torch.complex64: "complex64",
    torch.complex128: "complex128",
}
_PYTHON_TYPES = {
    bool: "bool",
    int: "int32",
    float: "float32",
    complex: "complex64",
    "int": "int32",
    "float": "float32",
}
FLOAT_NAMES = ("bfloat16", "float16", "float32", "float64")
INT_NAMES = (
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
)


def standardize_dtype(dtype: Any) -> str:
    """Any dtype spelling → its Keras name (`None` → `floatx()`).

    Raises:
        ValueError: for a spelling that names no supported dtype.
    """
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, torch.dtype):
        name = _TORCH_TO_NAME.get(dtype)
    elif isinstance(dtype, str):
        name = _PYTHON_TYPES.get(dtype, dtype.removeprefix("torch."))
    elif dtype in _PYTHON_TYPES:
        name = _PYTHON_TYPES[dtype]
    else:
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = None
    if name not in _TORCH_TO_NAME.values():
        raise ValueError(
            "Invalid dtype: expected a name such as 'float32' or 'int32', "
            f"a torch.dtype or a numpy dtype. Received: dtype={dtype!r}"
        )
    return name


def to_torch_dtype(dtype: Any) -> torch.dtype:
    """Any dtype spelling → the torch dtype Keras's torch backend uses."""
    if isinstance(dtype, torch.dtype):
        return dtype
    if isinstance(dtype, str) and dtype in _NAME_TO_TORCH:
        return _NAME_TO_TORCH[dtype]  # Keras names: the hot path.
    name = standardize_dtype(dtype)
    if name not in _NAME_TO_TORCH:
        raise ValueError(
            f"Unsupported dtype for PyTorch. Received: dtype={dtype!r}"
        )
    return _NAME_TO_TORCH[name]


def dtype_name(dtype: torch.dtype) -> str:
    """A torch dtype's Keras name (`torch.float32` → `"float32"`)."""
    return _TORCH_TO_NAME[dtype]


def is_float(dtype: torch.dtype) -> bool:
    return dtype.is_floating_point


def is_int_or_bool(dtype: torch.dtype) -> bool:
    return not (dtype.is_floating_point or dtype.is_complex)


# The promotion lattice of JAX, as Keras uses it: each type points to the
# types immediately above it. "int" and "float" are the weak types of
# Python scalars, which adopt the dtype of the tensor they meet.
_LATTICE = {
    "bool": ["int"],
    "uint8": ["int16", "uint16"],
    "uint16": ["int32", "uint32"],
    "uint32": ["int64", "uint64"],
    "uint64": ["float"],
    "int": ["uint8", "int8", "complex64"],
    "int8": ["int16"],
    "int16": ["int32"],
    "int32": ["int64"],
    "int64": ["float"],
    "float": ["bfloat16", "float16"],
    "bfloat16": ["float32"],
    "float16": ["float32"],
    "float32": ["float64", "complex64"],
    "float64": ["complex128"],
    "complex64": ["complex128"],
    "complex128": [],
}


def _upper_bounds() -> dict:
    bounds = {}

    def visit(node):
        if node not in bounds:
            above = {node}
            for parent in _LATTICE[node]:
                above |= visit(parent)
            bounds[node] = frozenset(above)
        return bounds[node]

    for node in _LATTICE:
        visit(node)
    return bounds


_UPPER = _upper_bounds()
_FOLD_64 = {
    "int64": "int32",
    "uint64": "uint32",
    "float64": "float32",
    "complex128": "complex64",
}


@functools.lru_cache(maxsize=512)
def _least_upper_bound(nodes: frozenset) -> str:
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    least = [c for c in common if common <= _UPPER[c]]
    if len(least) != 1:
        raise ValueError(
            f"Input dtypes {tuple(sorted(nodes))} have no implicit dtype "
            "promotion path. Cast the inputs to one dtype explicitly."
        )
    return least[0]


def _weak_name(name: str) -> str:
    if name.startswith(("float", "bfloat")):
        return "float"
    if "int" in name:
        return "int"
    return name


_result_cache: dict = {}


def result_type(*dtypes: Any) -> str:
    """The dtype Keras's promotion rules give for `dtypes`.

    Python `int` and `float` (the types, not values) are weak: they take the
    dtype of the tensor they meet. 64-bit results fold to 32 bits, as Keras
    does on every backend but TensorFlow.

    Example:

    >>> from lamina.ops._dtypes import result_type
    >>> result_type("int32", "float16")
    'float16'
    >>> result_type("int8", int)
    'int8'
    """
    key = (dtypes, config.floatx())
    try:
        return _result_cache[key]
    except (KeyError, TypeError):  # TypeError: an unhashable dtype spelling
        pass
    out = _result_type(dtypes)
    if len(_result_cache) < 4096:
        try:
            _result_cache[key] = out
        except TypeError:
            pass
    return out


def _result_type(dtypes: tuple) -> str:
    if not dtypes:
        return config.floatx()
    names, weak = [], []
    for d in dtypes:
        is_weak = d is int or d is float
        names.append(standardize_dtype(config.floatx() if d is None else d))
        weak.append(is_weak)
    if len(names) == 1 or (len(set(names)) == 1 and not all(weak)):
        out, out_weak = names[0], weak[0]
    elif all(weak):
        out, out_weak = _least_upper_bound(frozenset(names)), True
    else:
        nodes = {_weak_name(n) if w else n for n, w in zip(names, weak)}
        out = _least_upper_bound(frozenset(nodes))
        out_weak = out in ("int", "float")
    if out_weak and out != "bool":
        precision = config.floatx()[-2:]
        out = ("int" if "int" in out else "float") + precision
    return _FOLD_64.get(out, out)
