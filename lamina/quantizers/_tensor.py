"""Turning the arrays the quantizer functions accept into torch tensors."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.ops._convert import to_tensor
from lamina.utils.dtype_utils import to_torch_dtype


def as_tensor(x: Any, dtype: Any = None) -> torch.Tensor:
    """`x` (a tensor, NumPy array or Python value) as a torch tensor by
    Keras's `convert_to_tensor` rules (`ops._convert.to_tensor`); a tensor
    is returned as is (no copy) unless `dtype` asks for a cast. A foreign
    tensor with `.numpy()` (another framework's) goes through NumPy."""
    if not isinstance(x, torch.Tensor):
        if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
            x = x.numpy()
        x = to_tensor(x)
    if dtype is not None:
        x = x.to(to_torch_dtype(dtype))
    return x


def axes(axis: Any, ndim: int) -> tuple:
    """`axis` (an int or a sequence of ints) as a tuple of
    non-negative ints."""
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim for a in axis)
