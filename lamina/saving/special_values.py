"""Keras's encodings of the values JSON lacks: tensors, arrays, NumPy
scalars, bytes, slices, Ellipsis, and lambdas.

A lambda is the one value that carries code (its marshalled bytecode, as
Keras writes it): it is decoded only outside safe mode.
"""

from __future__ import annotations

import builtins
import codecs
import inspect
import marshal
import types
import warnings
from typing import Any

import numpy as np
import torch

from lamina.utils.dtype_utils import standardize_dtype
from lamina.utils.dtype_utils import to_torch_dtype

NOT_SPECIAL = object()
# The dtypes Keras serializes arrays with (`standardize_dtype`'s names).
_DTYPE_NAMES = frozenset(
    (
        "float16",
        "bfloat16",
        "float32",
        "float64",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "bool",
        "complex64",
        "complex128",
    )
)


def encode(obj: Any) -> Any:
    """The Keras encoding of `obj`, or `NOT_SPECIAL` for other objects.

    Example:

    >>> import numpy as np
    >>> from lamina.saving import special_values
    >>> special_values.encode(np.array([1.0, 2.0]))["config"]
    {'value': [1.0, 2.0], 'dtype': 'float64'}
    """
    if isinstance(obj, torch.Tensor):
        value = obj.detach().cpu()
        if value.dtype == torch.bfloat16:  # NumPy has no bfloat16
            value = value.float()
        return _tagged(
            "__tensor__",
            value=value.numpy().tolist(),
            dtype=standardize_dtype(obj.dtype),
        )
    if isinstance(obj, np.ndarray) and obj.ndim > 0:
        return _tagged(
            "__numpy__", value=obj.tolist(), dtype=standardize_dtype(obj.dtype)
        )
    if isinstance(obj, (np.ndarray, np.generic)):
        return obj.item()
    if isinstance(obj, torch.dtype):
        return standardize_dtype(obj)
    if isinstance(obj, bytes):
        return _tagged("__bytes__", value=obj.decode("utf-8"))
    if isinstance(obj, slice):
        return _tagged(
            "__slice__",
            start=_plain(obj.start),
            stop=_plain(obj.stop),
            step=_plain(obj.step),
        )
    if obj is Ellipsis:
        return _tagged("__ellipsis__")
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        return _encode_lambda(obj)
    return NOT_SPECIAL


def _tagged(class_name: str, **config: Any) -> dict:
    return {"class_name": class_name, "config": config}


def _plain(value: Any) -> Any:
    return (
        value.item()
        if isinstance(value, (np.generic, torch.Tensor))
        else (value)
    )


def _encode_lambda(fn: types.FunctionType) -> dict:
    try:
        source = inspect.getsource(fn).strip()
    except (OSError, TypeError):
        source = "<source unavailable>"
    warnings.warn(
        "The object being serialized includes a `lambda`. This is unsafe: "
        "to reload it, you will have to pass `safe_mode=False` to the "
        "loading function. Use named Python functions instead. This is "
        f"the `lambda` being serialized: {source}",
        stacklevel=4,
    )
    code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
    closure = None
    if fn.__closure__:
        closure = tuple(cell.cell_contents for cell in fn.__closure__)
    return _tagged("__lambda__", value=(code, fn.__defaults__, closure))


def decode(class_name: str, config: dict, safe_mode: bool) -> Any:
    """The value a special `class_name` encodes, or `NOT_SPECIAL`.

    Args:
        class_name: the config's `class_name` (`"__numpy__"`, ...).
        config: the config's inner `config`.
        safe_mode: refuse lambdas (they carry code).
    """
    if class_name == "__tensor__":
        return torch.tensor(
            _plain_value(config, class_name),
            dtype=to_torch_dtype(_dtype(config, class_name)),
        )
    if class_name == "__numpy__":
        dtype = _dtype(config, class_name)
        if dtype == "bfloat16":  # NumPy has none; Keras makes float32
            dtype = "float32"
        return np.array(_plain_value(config, class_name), dtype=dtype)
    if class_name == "__tuple__":  # written by older Keras versions
        return tuple(config["value"])
    if class_name == "__bytes__":
        return config["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(config["start"], config["stop"], config["step"])
    if class_name == "__lambda__":
        return _decode_lambda(config, safe_mode)
    return NOT_SPECIAL


def _dtype(config: dict, class_name: str) -> str:
    """The config's dtype, which must be one of Keras's names: a NumPy
    spelling such as `"(14000,14000)f8"` (a subarray dtype) would make
    a scalar value allocate gigabytes."""
    dtype = config.get("dtype")
    if not isinstance(dtype, str) or dtype not in _DTYPE_NAMES:
        raise ValueError(
            f"Invalid `dtype` in a serialized `{class_name}` value: expected "
            f"one of {sorted(_DTYPE_NAMES)}. Received: dtype={dtype!r:.100}"
        )
    return dtype


def _plain_value(config: dict, class_name: str) -> Any:
    """The config's value: a number, a boolean, a string or a nested list
    of them (JSON's own), so the array is no larger than the JSON."""
    value = config.get("value")
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif not isinstance(item, (int, float, bool, str)):
            raise ValueError(
                f"Invalid `value` in a serialized `{class_name}` value: "
                "expected a number or a nested list of numbers. Received an"
                f" item of type {type(item).__name__}."
            )
    return value


def _decode_lambda(config: dict, safe_mode: bool) -> types.FunctionType:
    if safe_mode:
        raise ValueError(
            "Requested the deserialization of a Python lambda. This carries "
            "a potential risk of arbitrary code execution and thus it is "
            "disallowed by default. If you trust the source of the file, "
            "pass `safe_mode=False` to the loading function, or call "
            "`lamina.config.enable_unsafe_deserialization()`."
        )
    code, defaults, closure = config["value"]
    try:
        code = marshal.loads(codecs.decode(code.encode("ascii"), "base64"))
    except (ValueError, EOFError, TypeError) as e:
        raise ValueError(
            "Could not load the serialized lambda: it was saved by another "
            f"Python version or is corrupt ({e})."
        ) from e
    import lamina

    # `keras` resolves to lamina, so lambdas written against Keras run.
    globs = {
        "__builtins__": builtins,
        "keras": lamina,
        "lamina": lamina,
        "torch": torch,
        "np": np,
        "numpy": np,
    }
    cells = (
        None
        if closure is None
        else tuple(types.CellType(value) for value in closure)
    )
    return types.FunctionType(
        code, globs, code.co_name, tuple(defaults) if defaults else None, cells
    )
