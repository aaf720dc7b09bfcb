"""Static slicing and scattered updates: `slice`, `slice_update`,
`scatter`, `scatter_update`. All return new tensors; inputs are never
modified in place."""

from __future__ import annotations

import builtins
import math

import torch

from lamina.errors import format_shape
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike

_REDUCTIONS = {"max": "amax", "min": "amin", "mul": "prod"}


def _ints(name: str, value) -> list:
    if isinstance(value, torch.Tensor):
        return [int(v) for v in value.tolist()]
    return [int(v) for v in value]


def _check_rank(name: str, arg: str, values: list, x: torch.Tensor) -> None:
    if len(values) != x.ndim:
        raise ValueError(
            f"`ops.{name}` needs one entry of `{arg}` per axis of the input "
            f"(rank {x.ndim}, shape {format_shape(x.shape)}). Received: "
            f"{arg}={values}"
        )


@op
def slice(
    inputs: TensorLike, start_indices: tuple, shape: tuple
) -> torch.Tensor:
    """Take a static-shape block out of a tensor.

    Args:
        inputs: The tensor to slice.
        start_indices: Start index of the block along each axis.
        shape: Size of the block along each axis.

    Returns:
        The block (a view of `inputs`).

    Example:

    >>> from lamina import ops
    >>> ops.slice([[1, 2, 3], [4, 5, 6]], (0, 1), (2, 2)).tolist()
    [[2, 3], [5, 6]]
    """
    x = to_tensor(inputs)
    starts, sizes = _ints("slice", start_indices), _ints("slice", shape)
    _check_rank("slice", "start_indices", starts, x)
    _check_rank("slice", "shape", sizes, x)
    index = tuple(builtins.slice(s, s + n) for s, n in zip(starts, sizes))
    return x[index]


@op
def slice_update(
    inputs: TensorLike, start_indices: tuple, updates: TensorLike
) -> torch.Tensor:
    """Write `updates` into a copy of `inputs` starting at `start_indices`.

    Args:
        inputs: The tensor to update.
        start_indices: Where the block starts along each axis.
        updates: The block to write (same rank as `inputs`).

    Returns:
        The updated copy of `inputs`.

    Example:

    >>> from lamina import ops
    >>> ops.slice_update([0, 0, 0, 0], (1,), [7, 8]).tolist()
    [0, 7, 8, 0]
    """
    x = to_tensor(inputs)
    updates = to_tensor(updates, device=x.device)
    starts = _ints("slice_update", start_indices)
    _check_rank("slice_update", "start_indices", starts, x)
    if updates.ndim != x.ndim:
        raise ValueError(
            "`ops.slice_update` expects `updates` to have the rank of "
            f"`inputs` ({x.ndim}). Received: updates.shape="
            f"{format_shape(updates.shape)}"
        )
    index = tuple(
        builtins.slice(s, s + n) for s, n in zip(starts, updates.shape)
    )
    out = x.clone()
    out[index] = updates.to(x.dtype)
    return out


def _index_tuple(indices: torch.Tensor) -> tuple:
    return tuple(indices.reshape(-1, indices.shape[-1]).T)


@op
def scatter(
    indices: TensorLike, values: TensorLike, shape: tuple
) -> torch.Tensor:
    """A zero tensor of `shape` with `values` added at `indices`.

    Duplicate indices accumulate.

    Args:
        indices: `(..., k)` integer indices into the first `k` axes.
        values: One value (or slice of the remaining axes) per index.
        shape: Shape of the output.

    Returns:
        The new tensor, in `values`'s dtype.

    Example:

    >>> from lamina import ops
    >>> ops.scatter([[1], [3], [1]], [1.0, 2.0, 3.0], (4,)).tolist()
    [0.0, 4.0, 0.0, 2.0]
    """
    values = to_tensor(values)
    indices = to_tensor(indices, device=values.device).to(torch.int64)
    shape = tuple(_ints("scatter", shape))
    k = indices.shape[-1]
    out = torch.zeros(shape, dtype=values.dtype, device=values.device)
    flat_values = values.reshape((-1,) + shape[k:])
    return out.index_put_(_index_tuple(indices), flat_values, accumulate=True)


@op
def scatter_update(
    inputs: TensorLike,
    indices: TensorLike,
    updates: TensorLike,
    reduction: str | None = None,
) -> torch.Tensor:
    """Update a copy of `inputs` at `indices` with `updates`.

    Args:
        inputs: The tensor to update.
        indices: `(N, k)` integer indices into the first `k` axes.
        updates: `N` values (or slices of the remaining axes).
        reduction: `None` to overwrite, or `"add"`, `"max"`, `"min"`,
            `"mul"` to combine with the current values.

    Returns:
        The updated copy of `inputs`.

    Example:

    >>> from lamina import ops
    >>> ops.scatter_update([0, 0, 0], [[0], [2]], [5, 6]).tolist()
    [5, 0, 6]
    """
    if reduction not in (None, "add", "max", "min", "mul"):
        raise ValueError(
            "`ops.scatter_update` supports reduction None, 'add', 'max', "
            f"'min' or 'mul'. Received: reduction={reduction!r}"
        )
    x = to_tensor(inputs)
    indices = to_tensor(indices, device=x.device).to(torch.int64)
    updates = to_tensor(updates, dtype=x.dtype, device=x.device)
    k = indices.shape[-1]
    tail = tuple(x.shape[k:])
    updates = updates.reshape((-1,) + tail)
    out = x.clone()
    if reduction in (None, "add"):
        return out.index_put_(
            _index_tuple(indices), updates, accumulate=reduction == "add"
        )
    # scatter_reduce_ works on one axis: flatten the k indexed axes into one.
    strides = [math.prod(x.shape[i + 1 : k]) for i in range(k)]
    strides_t = torch.tensor(strides, dtype=torch.int64, device=x.device)
    positions = (indices.reshape(-1, k) * strides_t).sum(-1)
    flat = out.reshape((-1,) + tail)
    index = positions.reshape((-1,) + (1,) * len(tail)).expand_as(updates)
    flat.scatter_reduce_(0, index, updates, _REDUCTIONS[reduction])
    return flat.reshape(x.shape)
