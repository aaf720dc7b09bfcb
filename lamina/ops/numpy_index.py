"""Gathering, sorting and diagonal/triangle ops."""

from __future__ import annotations

import torch

from lamina.errors import format_shape
from lamina.ops._convert import canonicalize_axis
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


def _index_tensor(indices, x: torch.Tensor, size: int) -> torch.Tensor:
    """int64 indices on `x`'s device, negative ones counted from the end."""
    indices = to_tensor(indices, device=x.device).to(torch.int64)
    return torch.where(indices < 0, indices + size, indices)


@op
def take(
    x: TensorLike, indices: TensorLike, axis: int | None = None
) -> torch.Tensor:
    """Take elements from a tensor along an axis.

    Args:
        x: Source tensor.
        indices: The indices to take (any shape; negative ones count from
            the end).
        axis: The axis to take along; by default `x` is flattened.

    Returns:
        A tensor of shape `x.shape[:axis] + indices.shape +
        x.shape[axis + 1:]`.

    Example:

    >>> from lamina import ops
    >>> ops.take([[1, 2], [3, 4]], [1, 0], axis=1).tolist()
    [[2, 1], [4, 3]]
    """
    x = to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = canonicalize_axis("take", axis, x.ndim)
    indices = _index_tensor(indices, x, x.shape[axis])
    if x.ndim == 2 and axis == 0 and x.dtype.is_floating_point:
        # The embedding kernel is the fastest row gather.
        return torch.nn.functional.embedding(indices, x)
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1 :])


@op
def take_along_axis(
    x: TensorLike, indices: TensorLike, axis: int | None = None
) -> torch.Tensor:
    """Pick values from `x` by matching 1-D index slices along an axis.

    Args:
        x: Source tensor.
        indices: Indices with the rank of `x` (broadcast against it on the
            other axes).
        axis: The axis to take along; by default `x` is flattened.

    Returns:
        The gathered values, with the shape of the broadcast indices.

    Example:

    >>> from lamina import ops
    >>> ops.take_along_axis([[10, 30, 20]], [[1, 2]], axis=1).tolist()
    [[30, 20]]
    """
    x = to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = canonicalize_axis("take_along_axis", axis, x.ndim)
    indices = _index_tensor(indices, x, x.shape[axis])
    if indices.ndim != x.ndim:
        raise ValueError(
            "`ops.take_along_axis` expects `indices` to have the rank of "
            f"`x` ({x.ndim}). Received: indices.shape="
            f"{format_shape(indices.shape)}, x.shape={format_shape(x.shape)}"
        )
    return torch.take_along_dim(x, indices, dim=axis)


@op
def sort(x: TensorLike, axis: int | None = -1) -> torch.Tensor:
    """Sort a tensor along an axis, ascending.

    Args:
        x: Input tensor.
        axis: The axis to sort; `None` sorts the flattened tensor.
            Defaults to `-1`.

    Returns:
        The sorted tensor.

    Example:

    >>> from lamina import ops
    >>> ops.sort([3, 1, 2]).tolist()
    [1, 2, 3]
    """
    x = to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if x.dtype == torch.bool and x.device.type == "cuda":
        # No CUDA bool sort kernel.
        return torch.sort(x.to(torch.uint8), dim=axis).values.to(torch.bool)
    return torch.sort(x, dim=axis).values


@op
def argsort(x: TensorLike, axis: int | None = -1) -> torch.Tensor:
    """Indices that would sort a tensor along an axis (stable).

    Args:
        x: Input tensor.
        axis: The axis to sort; `None` sorts the flattened tensor.
            Defaults to `-1`.

    Returns:
        `int32` indices.

    Example:

    >>> from lamina import ops
    >>> ops.argsort([3, 1, 2]).tolist()
    [1, 2, 0]
    """
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        x, axis = x.reshape(-1), -1
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


@op
def diag(x: TensorLike, k: int = 0) -> torch.Tensor:
    """Extract a diagonal, or build a diagonal matrix.

    Args:
        x: A 1-D tensor (the diagonal to place) or a 2-D tensor (the
            matrix to read).
        k: Which diagonal: 0 is the main one, positive above, negative
            below.

    Returns:
        The 2-D matrix with `x` on diagonal `k`, or the 1-D diagonal `k`.

    Example:

    >>> from lamina import ops
    >>> ops.diag([[1, 2], [3, 4]]).tolist()
    [1, 4]
    """
    x = to_tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(
            "`ops.diag` expects a 1-D or 2-D input. Received: x.shape="
            f"{format_shape(x.shape)}"
        )
    return torch.diag(x, diagonal=k)


@op
def tril(x: TensorLike, k: int = 0) -> torch.Tensor:
    """Lower triangle of the last two axes; the rest is zeroed.

    Args:
        x: Input tensor of rank >= 2.
        k: Diagonal above which to zero elements (0 is the main one).

    Returns:
        The lower-triangular tensor.

    Example:

    >>> from lamina import ops
    >>> ops.tril([[1, 2], [3, 4]]).tolist()
    [[1, 0], [3, 4]]
    """
    return torch.tril(to_tensor(x), diagonal=k)


@op
def triu(x: TensorLike, k: int = 0) -> torch.Tensor:
    """Upper triangle of the last two axes; the rest is zeroed.

    Args:
        x: Input tensor of rank >= 2.
        k: Diagonal below which to zero elements (0 is the main one).

    Returns:
        The upper-triangular tensor.

    Example:

    >>> from lamina import ops
    >>> ops.triu([[1, 2], [3, 4]]).tolist()
    [[1, 2], [0, 4]]
    """
    return torch.triu(to_tensor(x), diagonal=k)


@op
def trace(
    x: TensorLike, offset: int = 0, axis1: int = 0, axis2: int = 1
) -> torch.Tensor:
    """Sum along a diagonal.

    Args:
        x: Input tensor of rank >= 2.
        offset: Offset of the diagonal from the main one.
        axis1: First axis of the 2-D sub-arrays.
        axis2: Second axis of the 2-D sub-arrays.

    Returns:
        The diagonal sums (`int32` for small int and bool inputs).

    Example:

    >>> from lamina import ops
    >>> ops.trace([[1, 2], [3, 4]]).item()
    5
    """
    x = to_tensor(x)
    dtype = x.dtype
    if dtype in (torch.bool, torch.int8, torch.int16, torch.uint8):
        dtype = torch.int32
    diagonal = torch.diagonal(x, offset, axis1, axis2)
    return torch.sum(diagonal, dim=-1, dtype=dtype)
