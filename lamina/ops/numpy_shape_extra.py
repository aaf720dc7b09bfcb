"""More layout ops: `ravel`, `rot90`, `fliplr`, `flipud`, `diagonal`,
`diagflat`, `meshgrid`, `view`, `get_item`, `unravel_index`."""

from __future__ import annotations

from typing import Any

import torch

from lamina.ops._convert import canonicalize_axis, same_device, to_tensor
from lamina.ops._dtypes import result_type, to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def ravel(x: TensorLike) -> torch.Tensor:
    """Flatten a tensor to 1-D (a view when possible).

    Args:
        x: Input tensor.

    Returns:
        The flattened tensor.

    Example:

    >>> from lamina import ops
    >>> ops.ravel([[1, 2], [3, 4]]).tolist()
    [1, 2, 3, 4]
    """
    return torch.ravel(to_tensor(x))


@op
def rot90(array: TensorLike, k: int = 1, axes: tuple = (0, 1)) -> torch.Tensor:
    """Rotate a tensor by 90 degrees `k` times in the plane of `axes`.

    Args:
        array: Input tensor of rank >= 2.
        k: Number of counter-clockwise rotations.
        axes: The two axes of the rotation plane.

    Returns:
        The rotated tensor.

    Example:

    >>> from lamina import ops
    >>> ops.rot90([[1, 2], [3, 4]]).tolist()
    [[2, 4], [1, 3]]
    """
    x = to_tensor(array)
    if x.ndim < 2:
        raise ValueError(
            "Invalid value for argument `array` of ops.rot90: expected a "
            f"tensor of rank >= 2. Received: array.shape={tuple(x.shape)}"
        )
    if len(axes) != 2:
        raise ValueError(
            "Invalid value for argument `axes` of ops.rot90: expected two "
            f"different axes. Received: axes={axes}"
        )
    dims = tuple(canonicalize_axis("rot90", a, x.ndim, "axes") for a in axes)
    if dims[0] == dims[1]:
        raise ValueError(
            "Invalid value for argument `axes` of ops.rot90: expected two "
            f"different axes. Received: axes={axes}"
        )
    return torch.rot90(x, k=int(k), dims=dims)


def _check_rank(name: str, x: torch.Tensor, rank: int) -> None:
    if x.ndim < rank:
        raise ValueError(
            f"Invalid value for argument `x` of ops.{name}: expected a "
            f"tensor of rank >= {rank}. Received: x.shape={tuple(x.shape)}"
        )


@op
def fliplr(x: TensorLike) -> torch.Tensor:
    """Reverse the order of elements along axis 1.

    Args:
        x: Input tensor of rank >= 2.

    Returns:
        The flipped tensor.

    Example:

    >>> from lamina import ops
    >>> ops.fliplr([[1, 2], [3, 4]]).tolist()
    [[2, 1], [4, 3]]
    """
    x = to_tensor(x)
    _check_rank("fliplr", x, 2)
    return torch.fliplr(x)


@op
def flipud(x: TensorLike) -> torch.Tensor:
    """Reverse the order of elements along axis 0.

    Args:
        x: Input tensor of rank >= 1.

    Returns:
        The flipped tensor.

    Example:

    >>> from lamina import ops
    >>> ops.flipud([[1, 2], [3, 4]]).tolist()
    [[3, 4], [1, 2]]
    """
    x = to_tensor(x)
    _check_rank("flipud", x, 1)
    return torch.flipud(x)


@op
def diagonal(
    x: TensorLike, offset: int = 0, axis1: int = 0, axis2: int = 1
) -> torch.Tensor:
    """The diagonal of the 2-D slices given by `axis1` and `axis2`.

    Args:
        x: Input tensor of rank >= 2.
        offset: Offset from the main diagonal (positive: above).
        axis1: First axis of the 2-D slices.
        axis2: Second axis of the 2-D slices.

    Returns:
        The diagonals, along a new last axis.

    Example:

    >>> from lamina import ops
    >>> ops.diagonal([[1, 2], [3, 4]]).tolist()
    [1, 4]
    """
    x = to_tensor(x)
    _check_rank("diagonal", x, 2)
    return torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2)


@op
def diagflat(x: TensorLike, k: int = 0) -> torch.Tensor:
    """A 2-D tensor with the flattened input on its `k`-th diagonal.

    Args:
        x: Input tensor (flattened first).
        k: The diagonal (positive: above the main one).

    Returns:
        A square 2-D tensor.

    Example:

    >>> from lamina import ops
    >>> ops.diagflat([1, 2]).tolist()
    [[1, 0], [0, 2]]
    """
    return torch.diagflat(to_tensor(x), offset=k)


@op
def meshgrid(*x: TensorLike, indexing: str = "xy") -> tuple:
    """Coordinate grids from 1-D coordinate vectors.

    Args:
        *x: 1-D tensors of coordinates.
        indexing: `"xy"` (Cartesian) or `"ij"` (matrix) indexing.

    Returns:
        A tuple of N-D grids, one per input, each in its input's dtype
        (Keras on torch refuses mixed dtypes).

    Example:

    >>> from lamina import ops
    >>> xs, ys = ops.meshgrid([1, 2, 3], [4, 5])
    >>> xs.shape
    torch.Size([2, 3])
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(
            "Invalid value for argument `indexing` of ops.meshgrid: expected "
            f"'xy' or 'ij'. Received: indexing={indexing!r}"
        )
    xs = [t.reshape(-1) for t in same_device(*x)]
    # Built from broadcast views rather than torch.meshgrid, so inputs of
    # different dtypes keep theirs, as in NumPy (torch.meshgrid and so
    # Keras refuse them).
    axes = list(range(len(xs)))
    if indexing == "xy" and len(xs) > 1:
        axes[0], axes[1] = 1, 0
    shape = [0] * len(xs)
    for t, ax in zip(xs, axes):
        shape[ax] = t.shape[0]
    return tuple(
        t.reshape([-1 if i == ax else 1 for i in range(len(xs))]).expand(shape)
        for t, ax in zip(xs, axes)
    )


@op
def view(x: TensorLike, dtype: Any = None) -> torch.Tensor:
    """Reinterpret the bytes of `x` as another dtype (no copy).

    Args:
        x: Input tensor.
        dtype: The dtype to view as; a different item size rescales the
            last axis.

    Returns:
        A view of `x`'s memory in `dtype`.

    Example:

    >>> from lamina import ops
    >>> ops.view(ops.ones((1,), dtype="float32"), "int32").tolist()
    [1065353216]
    """
    return to_tensor(x).view(dtype=to_torch_dtype(dtype))


@op
def get_item(x: TensorLike, key: Any) -> torch.Tensor:
    """`x[key]`, with NumPy/torch indexing.

    Args:
        x: Input tensor.
        key: An index: ints, slices, `None`, `Ellipsis`, tensors, or a
            tuple of those.

    Returns:
        The indexed tensor.

    Example:

    >>> from lamina import ops
    >>> ops.get_item(ops.arange(6).reshape((2, 3)), (1, slice(0, 2))).tolist()
    [3, 4]
    """
    return to_tensor(x)[key]


@op
def unravel_index(indices: TensorLike, shape: tuple) -> tuple:
    """Flat indices → a tuple of coordinate tensors for `shape`.

    Args:
        indices: Integer flat indices.
        shape: The shape the indices address.

    Returns:
        One tensor of coordinates per axis of `shape`, in `indices`'s
        dtype.

    Example:

    >>> from lamina import ops
    >>> rows, cols = ops.unravel_index([5, 1], (2, 3))
    >>> (rows.tolist(), cols.tolist())
    ([1, 0], [2, 1])
    """
    indices = to_tensor(indices)
    dtype = to_torch_dtype(result_type(indices.dtype))
    coords = torch.unravel_index(indices, tuple(int(d) for d in shape))
    return tuple(c.to(dtype) for c in coords)
