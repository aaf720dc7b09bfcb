"""The one conversion path from user values to torch tensors.

Every op, random op, activation, loss, metric, constraint, regularizer,
quantizer, learning-rate schedule and image preprocessing layer converts
its inputs here (`to_tensor`), with the rules of Keras 3 on torch
(`keras.ops.convert_to_tensor`; `tests/ops/test_convert_rules.py`):

- a torch tensor is kept as is, on its own device (ops run where their
  tensor inputs live);
- a Python `float` becomes `floatx()`, an `int` becomes `int32` (`int64`
  when it does not fit), a `bool` becomes `bool`;
- a list or tuple of Python numbers takes the promoted dtype of its items;
  one holding tensors is stacked;
- a numpy array keeps its dtype (`float64` stays `float64`); a NumPy
  scalar that is a Python `float` (`np.float64`) converts as one;
- a `Variable` is a tensor (an `nn.Parameter`) and is kept;
- a symbolic tensor (a `KerasTensor`) has no value and is refused with
  Keras's `ValueError`.

Where a caller differs on purpose it says so beside the call: a loss or
metric casts labels to the predictions' dtype (`dtype=`), and the data
adapters (`trainers/data_adapters/`) turn `float64` arrays into `floatx()`
and keep text arrays in NumPy, as Keras's data adapters do.
The engine converts a layer's inputs itself (`Layer._convert_inputs`):
it sits below `ops`, and casts float inputs to the compute dtype anyway.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from lamina import config
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype

_SCALARS = (bool, int, float, complex)
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_scalar_cache: dict = {}


def scalar_dtype(x: Any) -> torch.dtype:
    """The torch dtype a Python scalar converts to."""
    if isinstance(x, bool):
        return torch.bool
    if isinstance(x, int):
        if _INT32_MIN <= x <= _INT32_MAX:
            return torch.int32
        return torch.int64
    if isinstance(x, float):
        return to_torch_dtype(config.floatx())
    return torch.complex64


def to_tensor(x: Any, dtype: Any = None, device: Any = None) -> torch.Tensor:
    """Convert `x` to a torch tensor by Keras's rules (see module doc).

    Args:
        x: a tensor, numpy array, Python scalar, or (nested) list/tuple.
        dtype: optional target dtype (any spelling).
        device: where a non-tensor value is created; `None` means torch's
            default device. Tensors are never moved.

    Returns:
        A `torch.Tensor`.
    """
    if isinstance(x, torch.Tensor):
        if dtype is not None:
            target = to_torch_dtype(dtype)
            if x.dtype != target:
                x = x.to(target)
        return x
    target = None if dtype is None else to_torch_dtype(dtype)
    if hasattr(x, "_keras_history"):
        raise ValueError(_symbolic(x))
    if isinstance(x, _SCALARS):
        return torch.tensor(x, dtype=target or scalar_dtype(x), device=device)
    if isinstance(x, (list, tuple)):
        return _sequence_to_tensor(x, target, device)
    return _array_to_tensor(x, target, device)


def as_dtype(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """`x` in `dtype`, skipping the no-op `.to()` call (a few µs each)."""
    return x if x.dtype == dtype else x.to(dtype)


def _first_tensor_device(x: Any) -> torch.device | None:
    for e in x:
        if isinstance(e, torch.Tensor):
            return e.device
        if isinstance(e, (list, tuple)):
            found = _first_tensor_device(e)
            if found is not None:
                return found
    return None


def _leaf_dtypes(x: Any, out: list) -> list:
    for e in x:
        if isinstance(e, (list, tuple)):
            _leaf_dtypes(e, out)
        elif isinstance(e, _SCALARS):
            out.append(type(e))
        elif hasattr(e, "_keras_history"):
            raise ValueError(_symbolic(e))
        else:
            out.append(np.asarray(e).dtype)
    return out


def _sequence_to_tensor(x, target, device) -> torch.Tensor:
    tensor_device = _first_tensor_device(x)
    if tensor_device is not None:
        # A list holding tensors is stacked on the first tensor's device.
        parts = [to_tensor(e, device=tensor_device) for e in x]
        stacked = torch.stack([p.to(tensor_device) for p in parts])
        return stacked if target is None else stacked.to(target)
    if target is None:
        target = to_torch_dtype(result_type(*_leaf_dtypes(x, [])))
    try:
        return torch.tensor(x, dtype=target, device=device)
    except (TypeError, ValueError, RuntimeError):
        # Ragged nesting or odd leaves: let numpy say what is wrong.
        return _array_to_tensor(np.array(x), target, device)


def _array_to_tensor(x, target, device) -> torch.Tensor:
    try:
        arr = np.asarray(x)
    except Exception as e:
        raise TypeError(_cannot_convert(x)) from e
    name = arr.dtype.name
    if name == "bfloat16":
        # numpy's (ml_dtypes') bfloat16 has no torch bridge.
        arr, target = arr.astype(np.float32), target or torch.bfloat16
    elif name == "uint32":
        arr = arr.astype(np.int64)
    if target is None:
        try:
            target = to_torch_dtype(arr.dtype)
        except ValueError as e:
            raise TypeError(_cannot_convert(x)) from e
    if not arr.flags.c_contiguous:
        # torch cannot take negative strides; a C-ordered copy fixes that.
        arr = arr.copy(order="C")
    return torch.tensor(arr, dtype=target, device=device)


def _symbolic(x: Any) -> str:
    return (
        "A KerasTensor is symbolic: it's a placeholder for a shape and a "
        "dtype. It doesn't have any actual numerical value. You cannot "
        f"convert it to a tensor. Received: x={x!r}"
    )


def _cannot_convert(x: Any) -> str:
    text = repr(x)
    text = text if len(text) <= 200 else text[:197] + "..."
    return (
        "convert_to_tensor expected a tensor, a numpy array, a Python "
        f"number or a (nested) list of numbers. Received: x={text} "
        f"(of type {type(x).__name__})"
    )


def scalar_operand(x: Any) -> torch.Tensor:
    """A 0-dim CPU tensor for a Python scalar used as an op operand.

    Torch treats a 0-dim CPU tensor as a scalar on any device, so this
    needs no host-to-device copy. Constants are cached outside compiled
    regions: building a tensor costs ~5 µs, more than most small ops.
    """
    dtype = scalar_dtype(x)
    if torch.compiler.is_compiling() or x == 0 or x != x:
        # Zero is skipped because 0.0 == -0.0 share a cache key.
        return torch.tensor(x, dtype=dtype, device="cpu")
    key = (type(x), x, dtype)
    cached = _scalar_cache.get(key)
    if cached is None:
        if len(_scalar_cache) > 256:
            _scalar_cache.clear()
        # A tensor made under inference_mode cannot join autograd later.
        with torch.inference_mode(False):
            cached = torch.tensor(x, dtype=dtype, device="cpu")
        _scalar_cache[key] = cached
    return cached


def operands(*xs: Any) -> tuple:
    """Convert the operands of an elementwise op.

    Tensors stay where they are; Python scalars become 0-dim CPU tensors
    (see `scalar_operand`); other values are built on the device of the
    first tensor operand.
    """
    device = None
    for x in xs:
        if type(x) is not torch.Tensor:
            break
    else:
        return xs  # All tensors already: the hot path.
    for x in xs:
        if isinstance(x, torch.Tensor):
            device = x.device
            break
    out = []
    for x in xs:
        if isinstance(x, torch.Tensor):
            out.append(x)
        elif isinstance(x, _SCALARS):
            if device is None:
                out.append(to_tensor(x))
            else:
                out.append(scalar_operand(x))
        else:
            out.append(to_tensor(x, device=device))
    return tuple(out)


def same_device(*xs: Any) -> list:
    """Convert `xs` to tensors on the device of the first tensor among them
    (for ops such as `concatenate` that need one device)."""
    device = None
    for x in xs:
        if isinstance(x, torch.Tensor):
            device = x.device
            break
    return [to_tensor(x, device=device) for x in xs]


def canonicalize_axis(op: str, axis: Any, ndim: int, arg: str = "axis") -> int:
    """`axis` in `[-ndim, ndim)` → `[0, ndim)`, or a ValueError naming `op`."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(
            f"`ops.{op}` expected an integer `{arg}`. Received: {arg}={axis!r}"
        )
    # Torch lets a 0-d tensor take axis 0 or -1, and Keras on torch does.
    bound = max(ndim, 1)
    if not -bound <= axis < bound:
        raise ValueError(
            f"`ops.{op}`: `{arg}` is out of bounds for a tensor of rank "
            f"{ndim} (valid range [{-bound}, {bound})). Received: {arg}={axis}"
        )
    return int(axis) % bound


def canonicalize_axes(
    op: str, axis: Any, ndim: int, arg: str = "axis"
) -> tuple:
    """An int or a sequence of ints → a tuple of non-negative axes."""
    if isinstance(axis, (list, tuple)):
        axes = tuple(canonicalize_axis(op, a, ndim, arg) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(
                f"`ops.{op}`: `{arg}` repeats an axis. Received: {arg}={axis}"
            )
        return axes
    return (canonicalize_axis(op, axis, ndim, arg),)


def num_elements(shape: Any) -> int:
    return math.prod(shape)
