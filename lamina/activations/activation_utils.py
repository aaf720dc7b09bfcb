"""Input handling shared by the activation functions.

Activations run in every layer's forward pass, so a tensor costs them one
inline `isinstance` check. Non-tensor inputs (lists, NumPy arrays) are
converted first, and symbolic tensors (functional model construction) record
a graph node instead of computing.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch

from lamina import config
from lamina.engine.operation import any_symbolic
from lamina.utils.dtype_utils import to_torch_dtype


def to_tensor(x: Any) -> torch.Tensor:
    """Convert an array-like to a tensor with Keras's dtype rules.

    Python floats become `floatx()` and Python ints `int32`; NumPy arrays
    keep their dtype.
    """
    if isinstance(x, (np.ndarray, np.generic)):
        return torch.as_tensor(x)
    array = np.asarray(x)
    if array.dtype.kind == "f":
        return torch.as_tensor(array, dtype=to_torch_dtype(config.floatx()))
    if array.dtype.kind in "iu":
        return torch.as_tensor(array, dtype=torch.int32)
    return torch.as_tensor(array)


def convert_and_call(fn: Callable, x: Any, *args: Any) -> Any:
    """Call activation `fn` on a non-tensor `x`.

    Each activation checks `isinstance(x, torch.Tensor)` inline and comes
    here otherwise: that keeps the tensor path free of a wrapper's call
    frame and argument packing. A symbolic `x` (functional model
    construction) records a graph node; anything else is converted with
    `to_tensor`.
    """
    if any_symbolic((x,)):
        from lamina.engine.op_layer import call_op_symbolically

        return call_op_symbolically(fn, (x, *args), {})
    return fn(to_tensor(x), *args)
