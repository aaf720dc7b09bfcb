"""Turning the arrays the quantizer functions accept into torch tensors."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.utils.dtype_utils import to_torch_dtype


def as_tensor(x: Any, dtype: Any = None) -> torch.Tensor:
    """`x` (a tensor, NumPy array or Python value) as a torch tensor; a
    tensor is returned as is (no copy) unless `dtype` asks for a cast.
    Python floats become float32, as Keras's `convert_to_tensor` does."""
    if not isinstance(x, torch.Tensor):
        if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
            x = x.numpy()
        array = np.asarray(x)
        if array.dtype == np.float64 and not isinstance(x, np.ndarray):
            array = array.astype(np.float32)
        x = torch.as_tensor(array)
    if dtype is not None:
        x = x.to(to_torch_dtype(dtype))
    return x


def axes(axis: Any, ndim: int) -> tuple:
    """`axis` (an int or a sequence of ints) as a tuple of
    non-negative ints."""
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim for a in axis)
