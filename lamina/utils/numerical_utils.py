"""`to_categorical` and `normalize`, as in `keras.utils`."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F


def to_categorical(x: Any, num_classes: int | None = None) -> np.ndarray:
    """Convert a class vector (integers) to a one-hot matrix.

    Args:
        x: array of class indices (any shape; a trailing axis of size 1 is
            dropped).
        num_classes: number of classes; defaults to `max(x) + 1`.

    Returns:
        A float64 NumPy array (as Keras returns) with one more axis of size
        `num_classes`; for a torch tensor `x`, a float32 tensor.

    Example:

    >>> import lamina
    >>> lamina.utils.to_categorical([0, 2], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    if isinstance(x, torch.Tensor):
        if x.ndim > 1 and x.shape[-1] == 1:
            x = x.squeeze(-1)
        if num_classes is None:
            num_classes = int(x.max()) + 1 if x.numel() else 0
        return F.one_hot(x.long().clamp(min=0), num_classes).float()
    x = np.asarray(x)
    if x.dtype.kind not in "iub" and not np.all(np.equal(np.mod(x, 1), 0)):
        raise ValueError(
            "to_categorical expects integer class indices. Received values "
            f"of dtype {x.dtype}."
        )
    x = x.astype("int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if x.size and x.min() < 0:
        raise ValueError(
            f"to_categorical expects non-negative class indices. Received "
            f"min={x.min()}"
        )
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    elif x.size and x.max() >= num_classes:
        raise ValueError(
            f"Class index {x.max()} is out of range for num_classes="
            f"{num_classes}."
        )
    out = np.zeros((x.size, num_classes), dtype="float64")
    out[np.arange(x.size), x] = 1.0
    return out.reshape(shape + (num_classes,))


def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray:
    """Normalize an array to unit `order`-norm along `axis`."""
    x = np.asarray(x, dtype="float32")
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    norm[norm == 0] = 1.0
    return x / norm
