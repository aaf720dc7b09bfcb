"""Conversion between Keras dtype names and torch dtypes."""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import torch
from lamina.typing import DTypeLike
from lamina.utils import sharded_copies

_NAME_TO_TORCH = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "bool": torch.bool,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_TORCH_TO_NAME = {v: k for k, v in _NAME_TO_TORCH.items()}
_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int64",
}


# A dtype given gives a name (or a torch dtype); only None gives None.
@overload
def standardize_dtype(dtype: None) -> None: ...
@overload
def standardize_dtype(dtype: str | torch.dtype | np.dtype | type) -> str: ...
def standardize_dtype(dtype: DTypeLike | type) -> str | None:
    """Any dtype spelling (str, torch, numpy, Python type) → Keras name."""
    if dtype is None:
        return None
    if isinstance(dtype, torch.dtype):
        name = _TORCH_TO_NAME.get(dtype)
    elif dtype is float:
        name = "float32"
    elif dtype is int:
        name = "int64"
    elif dtype is bool:
        name = "bool"
    elif isinstance(dtype, str):
        name = _ALIASES.get(dtype, dtype)
        if name.startswith("torch."):
            name = name[len("torch.") :]
    else:
        name = getattr(dtype, "name", None)
        if name is None:
            try:
                name = np.dtype(dtype).name
            except TypeError:
                name = None
    if name == "string":
        return name  # the raw-text inputs of the text layers (no tensor)
    if name not in _NAME_TO_TORCH:
        raise ValueError(
            "Invalid dtype: expected a name such as 'float32' or 'int64', "
            f"a torch.dtype or a numpy dtype. Received: dtype={dtype!r}"
        )
    return name


@overload
def to_torch_dtype(dtype: None) -> None: ...
# "string" (text layers) also gives None: callers that pass it check it.
@overload
def to_torch_dtype(
    dtype: str | torch.dtype | np.dtype | type,
) -> torch.dtype: ...
def to_torch_dtype(dtype: DTypeLike | type) -> torch.dtype | None:
    """Any dtype spelling → `torch.dtype` (None stays None, and so does
    `"string"`: text stays NumPy, torch has no string tensors)."""
    if dtype is None:
        return None
    if isinstance(dtype, torch.dtype):
        return dtype
    name = standardize_dtype(dtype)
    return None if name == "string" else _NAME_TO_TORCH[name]


def is_float_dtype(dtype: DTypeLike) -> bool:
    return standardize_dtype(dtype) in (
        "float16",
        "bfloat16",
        "float32",
        "float64",
    )


def is_int_dtype(dtype: DTypeLike) -> bool:
    name = standardize_dtype(dtype)
    return name.startswith("int") or name.startswith("uint")


def tensor_to_numpy(tensor: torch.Tensor) -> np.ndarray:
    """A numpy copy of `tensor` (any device).

    numpy has no bfloat16: as Keras does, a bfloat16 tensor becomes an
    `ml_dtypes.bfloat16` array when ml_dtypes is installed (it comes with
    Keras), else float32 (an exact widening). The array is C-ordered
    even when the tensor's memory is not (convolution kernels are stored
    in torch's memory order; see `KernelLayout`).
    """
    t = (
        sharded_copies.whole(tensor)
        .detach()
        .to("cpu", copy=True, memory_format=torch.contiguous_format)
    )
    if t.dtype != torch.bfloat16:
        return t.numpy()
    try:
        import ml_dtypes
    except ImportError:
        return t.float().numpy()
    return t.view(torch.int16).numpy().view(ml_dtypes.bfloat16)


def numpy_to_tensor(value: Any, dtype: torch.dtype) -> torch.Tensor:
    """`value` as a tensor of `dtype`; accepts bfloat16 arrays (ml_dtypes'
    or the 2-byte opaque form h5py reads back) bit for bit."""
    array = np.asarray(value)
    if array.dtype.name == "bfloat16" or (
        array.dtype.kind == "V" and array.dtype.itemsize == 2
    ):
        bits = np.ascontiguousarray(array).view(np.int16).copy()
        return torch.from_numpy(bits).view(torch.bfloat16).to(dtype)
    return torch.as_tensor(array, dtype=dtype)
