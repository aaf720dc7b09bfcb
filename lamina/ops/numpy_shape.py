"""Ops that rearrange a tensor's axes without changing its values."""

from __future__ import annotations

import math

import numpy as np
import torch

from lamina.errors import format_shape
from lamina.ops._convert import canonicalize_axes
from lamina.ops._convert import canonicalize_axis
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


def _target_shape(x: torch.Tensor, newshape) -> tuple:
    """Check `newshape` against `x` up front, so the error names the op."""
    if isinstance(newshape, torch.Tensor):
        newshape = newshape.tolist()
    if not isinstance(newshape, (list, tuple)):
        newshape = (newshape,)
    if not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool)
        for d in newshape
    ):
        raise TypeError(
            "`ops.reshape` expects `newshape` to hold integers (use -1 for "
            f"one inferred size). Received: newshape={newshape!r}"
        )
    newshape = tuple(int(d) for d in newshape)
    unknown = [d for d in newshape if d < 0]
    if len(unknown) > 1 or any(d != -1 for d in unknown):
        raise ValueError(
            "`ops.reshape` accepts at most one -1 and no other negative "
            f"sizes in `newshape`. Received: newshape={newshape}"
        )
    known = math.prod(d for d in newshape if d != -1)
    size = x.numel()
    if unknown:
        # A zero-size known part is ambiguous; torch's own error says so.
        fits = known == 0 or size % known == 0
    else:
        fits = size == known
    if not fits:
        raise ValueError(
            f"`ops.reshape` cannot reshape a tensor of shape "
            f"{format_shape(x.shape)} ({size} elements) into shape "
            f"{format_shape(newshape)}. Received: newshape={newshape}"
        )
    return newshape


@op
def reshape(x: TensorLike, newshape: tuple | int) -> torch.Tensor:
    """Give a new shape to a tensor without changing its data.

    Args:
        x: Input tensor.
        newshape: The new shape; one dimension may be -1, inferred from
            the size of `x`.

    Returns:
        The reshaped tensor (a view when possible).

    Example:

    >>> from lamina import ops
    >>> ops.reshape([1, 2, 3, 4, 5, 6], (2, -1)).shape
    torch.Size([2, 3])
    """
    x = to_tensor(x)
    return torch.reshape(x, _target_shape(x, newshape))


@op
def transpose(x: TensorLike, axes: tuple | None = None) -> torch.Tensor:
    """Permute the axes of a tensor.

    Args:
        x: Input tensor.
        axes: A permutation of `range(x.ndim)`; by default the axes are
            reversed.

    Returns:
        `x` with its axes permuted (a view).

    Example:

    >>> from lamina import ops
    >>> ops.transpose(ops.zeros((2, 3, 4)), axes=(0, 2, 1)).shape
    torch.Size([2, 4, 3])
    """
    x = to_tensor(x)
    if axes is None:
        return x.permute(tuple(range(x.ndim - 1, -1, -1)))
    perm = canonicalize_axes("transpose", tuple(axes), x.ndim, "axes")
    if len(perm) != x.ndim:
        raise ValueError(
            "`ops.transpose` expects `axes` to be a permutation of all "
            f"{x.ndim} axes of `x` (shape {format_shape(x.shape)}). "
            f"Received: axes={axes}"
        )
    return x.permute(perm)


@op
def expand_dims(x: TensorLike, axis: int | tuple) -> torch.Tensor:
    """Insert new axes of size 1.

    Args:
        x: Input tensor.
        axis: Position (or positions) in the output where the new axes go.

    Returns:
        `x` with the new axes (a view).

    Example:

    >>> from lamina import ops
    >>> ops.expand_dims(ops.zeros((2, 3)), axis=-1).shape
    torch.Size([2, 3, 1])
    """
    x = to_tensor(x)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    out_ndim = x.ndim + len(axes)
    for a in sorted(canonicalize_axes("expand_dims", axes, out_ndim)):
        x = torch.unsqueeze(x, a)
    return x


@op
def squeeze(x: TensorLike, axis: int | tuple | None = None) -> torch.Tensor:
    """Remove axes of size 1.

    Args:
        x: Input tensor.
        axis: The axis or axes to remove, each of size 1; by default every
            size-1 axis is removed.

    Returns:
        `x` without those axes (a view).

    Raises:
        ValueError: if a named axis does not have size 1.

    Example:

    >>> from lamina import ops
    >>> ops.squeeze(ops.zeros((2, 1, 3)), axis=1).shape
    torch.Size([2, 3])
    """
    x = to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    axes = canonicalize_axes("squeeze", axis, x.ndim)
    if x.ndim == 0:
        return x
    bad = [a for a in axes if x.shape[a] != 1]
    if bad:
        raise ValueError(
            f"`ops.squeeze` can only remove axes of size 1, but axis "
            f"{bad[0]} of a tensor of shape {format_shape(x.shape)} has "
            f"size {x.shape[bad[0]]}. Received: axis={axis}"
        )
    return torch.squeeze(x, dim=axes)


@op
def moveaxis(
    x: TensorLike, source: int | tuple, destination: int | tuple
) -> torch.Tensor:
    """Move axes to new positions; the other axes keep their order.

    Args:
        x: Input tensor.
        source: Original position(s) of the axes to move.
        destination: Destination position(s), one per source axis.

    Returns:
        `x` with moved axes (a view).

    Example:

    >>> from lamina import ops
    >>> ops.moveaxis(ops.zeros((2, 3, 4)), 0, -1).shape
    torch.Size([3, 4, 2])
    """
    x = to_tensor(x)
    return torch.moveaxis(x, source, destination)


@op
def swapaxes(x: TensorLike, axis1: int, axis2: int) -> torch.Tensor:
    """Interchange two axes of a tensor.

    Args:
        x: Input tensor.
        axis1: First axis.
        axis2: Second axis.

    Returns:
        `x` with the two axes swapped (a view).

    Example:

    >>> from lamina import ops
    >>> ops.swapaxes(ops.zeros((2, 3, 4)), 0, 2).shape
    torch.Size([4, 3, 2])
    """
    x = to_tensor(x)
    axis1 = canonicalize_axis("swapaxes", axis1, x.ndim, "axis1")
    axis2 = canonicalize_axis("swapaxes", axis2, x.ndim, "axis2")
    return torch.swapaxes(x, axis1, axis2)


@op
def broadcast_to(x: TensorLike, shape: tuple) -> torch.Tensor:
    """Broadcast a tensor to a new shape.

    Args:
        x: Input tensor.
        shape: The target shape; `x`'s shape must broadcast to it.

    Returns:
        A broadcast view of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.broadcast_to([1, 2, 3], (2, 3)).tolist()
    [[1, 2, 3], [1, 2, 3]]
    """
    x = to_tensor(x)
    return torch.broadcast_to(x, tuple(shape))


@op
def flip(x: TensorLike, axis: int | tuple | None = None) -> torch.Tensor:
    """Reverse the order of elements along the given axes.

    Args:
        x: Input tensor.
        axis: Axis or axes to flip; by default all of them.

    Returns:
        The flipped tensor.

    Example:

    >>> from lamina import ops
    >>> ops.flip([[1, 2], [3, 4]], axis=1).tolist()
    [[2, 1], [4, 3]]
    """
    x = to_tensor(x)
    if axis is None:
        axis = tuple(range(x.ndim))
    elif not isinstance(axis, (tuple, list)):
        axis = (axis,)
    return torch.flip(x, dims=tuple(axis))


@op
def roll(
    x: TensorLike, shift: int | tuple, axis: int | tuple | None = None
) -> torch.Tensor:
    """Roll elements along the given axes; those past the end come back
    at the start.

    Args:
        x: Input tensor.
        shift: Number of places to shift (one per axis when a tuple).
        axis: Axis or axes to roll; by default the flattened tensor is
            rolled and the shape restored.

    Returns:
        The rolled tensor.

    Example:

    >>> from lamina import ops
    >>> ops.roll([1, 2, 3, 4], 1).tolist()
    [4, 1, 2, 3]
    """
    x = to_tensor(x)
    return torch.roll(x, shift, dims=axis)


def ndim(x: TensorLike) -> int:
    """Number of dimensions of a tensor.

    Works on symbolic tensors too (it reads `x.shape`), so it records no
    graph node.

    Args:
        x: Input tensor.

    Returns:
        The rank, as a Python int.

    Example:

    >>> from lamina import ops
    >>> ops.ndim(ops.zeros((2, 3)))
    2
    """
    shape = getattr(x, "shape", None)
    if shape is None:
        shape = to_tensor(x).shape
    return len(shape)


@op
def size(x: TensorLike) -> torch.Tensor:
    """Number of elements in a tensor.

    Args:
        x: Input tensor.

    Returns:
        A 0-d `int64` tensor, as Keras on torch returns.

    Example:

    >>> from lamina import ops
    >>> ops.size(ops.zeros((2, 3))).item()
    6
    """
    x = to_tensor(x)
    return torch.tensor(x.numel(), dtype=torch.int64)
