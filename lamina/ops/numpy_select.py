"""Selecting elements by value: `nonzero`, `unique`, `isin`, `select`,
`argpartition`.

`nonzero` and `unique` have value-dependent output sizes; on symbolic
tensors they give Keras's symbolic outputs (unknown sizes, `int32`
indices) without tracing.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Callable

import torch

from lamina.engine.symbolic import SymbolicTensor
from lamina.ops._convert import canonicalize_axis, same_device, to_tensor
from lamina.ops._dtypes import result_type, to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def symbolic_spec(spec: Callable) -> Callable:
    """Give an `@op` function the symbolic outputs `spec(*args)` returns,
    for ops whose shapes depend on values."""

    def attach(public: Callable) -> Callable:
        public.__wrapped__.symbolic_spec = spec
        return public

    return attach


def _nonzero_spec(x):
    return tuple(SymbolicTensor((None,), "int32") for _ in x.shape)


@symbolic_spec(_nonzero_spec)
@op
def nonzero(x: TensorLike) -> tuple:
    """Indices of the non-zero elements, one tensor per axis.

    Args:
        x: Input tensor.

    Returns:
        A tuple of `int32` tensors, one per axis of `x`, holding the
        coordinates of the non-zero elements (NumPy's form; Keras on
        torch stacks them into one `(ndim, n)` tensor, whose rows these
        are).

    Example:

    >>> from lamina import ops
    >>> rows, cols = ops.nonzero([[0, 1], [2, 0]])
    >>> (rows.tolist(), cols.tolist())
    ([0, 1], [1, 0])
    """
    x = to_tensor(x)
    return tuple(i.to(torch.int32) for i in torch.nonzero(x).T)


def _unique_spec(
    x,
    sorted=True,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    if axis is None:
        values = (size,)
    else:
        values = list(x.shape)
        values[canonicalize_axis("unique", axis, len(x.shape))] = size
    outs = [SymbolicTensor(tuple(values), x.dtype)]
    if return_index:
        outs.append(SymbolicTensor((size,), "int32"))
    if return_inverse:
        inverse = x.shape if axis is None else (x.shape[axis],)
        outs.append(SymbolicTensor(tuple(inverse), "int32"))
    if return_counts:
        outs.append(SymbolicTensor((size,), "int32"))
    return outs[0] if len(outs) == 1 else tuple(outs)


def _resize(t: torch.Tensor, dim: int, size: int, fill) -> torch.Tensor:
    """Truncate or pad `t` along `dim` to `size` entries."""
    n = t.shape[dim]
    if n >= size:
        return t.narrow(dim, 0, size)
    pad_shape = list(t.shape)
    pad_shape[dim] = size - n
    pad = torch.full(pad_shape, fill, dtype=t.dtype, device=t.device)
    return torch.cat([t, pad], dim)


@symbolic_spec(_unique_spec)
@op
def unique(
    x: TensorLike,
    sorted: bool = True,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: int | None = None,
    size: int | None = None,
    fill_value: float | None = None,
) -> Any:
    """The unique elements of `x` (or unique slices along `axis`).

    Args:
        x: Input tensor.
        sorted: Whether to sort the unique values.
        return_index: Also return the index of each value's first
            occurrence.
        return_inverse: Also return, for each input element, the index of
            its unique value.
        return_counts: Also return how often each value occurs.
        axis: Axis of the slices to compare; `None` flattens `x`.
        size: If given, pad (with `fill_value`, default 0) or truncate the
            result to this many values, for a static shape.
        fill_value: The padding value when `size` is given.

    Returns:
        The unique values, or a tuple `(values, [index], [inverse],
        [counts])`; indices and counts are `int32`.

    Example:

    >>> from lamina import ops
    >>> ops.unique([3, 1, 3, 2]).tolist()
    [1, 2, 3]
    """
    x = to_tensor(x)
    dim = 0 if axis is None else canonicalize_axis("unique", axis, x.ndim)
    values, inverse, counts = torch.unique(
        x, sorted=sorted, return_inverse=True, return_counts=True, dim=axis
    )
    index = None
    if return_index:
        flat_inverse = inverse.reshape(-1)
        positions = torch.arange(flat_inverse.shape[0], device=x.device)
        index = torch.full(
            (values.shape[dim],),
            flat_inverse.shape[0],
            dtype=positions.dtype,
            device=x.device,
        )
        index = index.scatter_reduce(0, flat_inverse, positions, "amin")
    if size is not None:
        values = _resize(
            values, dim, size, 0 if fill_value is None else fill_value
        )
        counts = _resize(counts, 0, size, 0)
        if index is not None:
            index = _resize(index, 0, size, 1)  # Keras's torch padding.
    outs = [values]
    outs += [index.to(torch.int32)] if return_index else []
    outs += [inverse.to(torch.int32)] if return_inverse else []
    outs += [counts.to(torch.int32)] if return_counts else []
    return outs[0] if len(outs) == 1 else tuple(outs)


@op
def isin(
    x1: TensorLike,
    x2: TensorLike,
    assume_unique: bool = False,
    invert: bool = False,
) -> torch.Tensor:
    """Whether each element of `x1` occurs in `x2`.

    Args:
        x1: Elements to test.
        x2: The values to test against (any shape).
        assume_unique: If `True`, both inputs are taken to hold unique
            values, which can be faster.
        invert: If `True`, return the opposite (`not in`).

    Returns:
        A `bool` tensor of `x1`'s shape.

    Example:

    >>> from lamina import ops
    >>> ops.isin([1, 2, 3], [2, 5]).tolist()
    [False, True, False]
    """
    x1, x2 = same_device(x1, x2)
    if x1.dtype == torch.bool and x2.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    elif x1.dtype != x2.dtype:
        common = to_torch_dtype(result_type(x1.dtype, x2.dtype))
        x1, x2 = x1.to(common), x2.to(common)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


@op
def select(
    condlist: list, choicelist: list, default: TensorLike = 0
) -> torch.Tensor:
    """Pick from `choicelist` where the matching `condlist` entry is true.

    The first true condition wins; elements with no true condition take
    `default`.

    Args:
        condlist: A list of boolean tensors.
        choicelist: A list of tensors, one per condition.
        default: The value where no condition holds.

    Returns:
        The selected values, broadcast together.

    Example:

    >>> from lamina import ops
    >>> x = ops.arange(5)
    >>> ops.select([x < 2, x > 3], [x, x * 10], default=-1).tolist()
    [0, 1, -1, -1, 40]
    """
    if not isinstance(condlist, (list, tuple)) or not isinstance(
        choicelist, (list, tuple)
    ):
        raise ValueError(  # noqa: TRY004 - Keras raises ValueError
            "Invalid value for arguments `condlist` and `choicelist` of "
            "ops.select: expected lists. Received: "
            f"condlist={type(condlist).__name__}, "
            f"choicelist={type(choicelist).__name__}"
        )
    if not condlist or not choicelist:
        raise ValueError(
            "Invalid value for arguments `condlist` and `choicelist` of "
            "ops.select: expected non-empty lists. Received: "
            f"condlist={condlist}, choicelist={choicelist}"
        )
    tensors = same_device(*condlist, *choicelist, default)
    conds, choices = tensors[: len(condlist)], tensors[len(condlist) : -1]
    out = tensors[-1]
    for c, v in reversed(list(zip(conds, choices))):
        out = torch.where(c, v, out)
    return out


@op
def argpartition(x: TensorLike, kth: int, axis: int = -1) -> torch.Tensor:
    """Indices that partition `x` around its `kth` smallest element.

    The `kth` index holds the element a sort would put there; indices
    before it point to smaller or equal elements, those after to larger
    or equal ones (here: the full stable sort order, a valid partition).

    Args:
        x: Input tensor.
        kth: The element index to partition by.
        axis: The axis to partition along.

    Returns:
        `int32` indices of `x`'s shape.

    Example:

    >>> from lamina import ops
    >>> ops.argpartition([3, 1, 2], 1).tolist()
    [1, 2, 0]
    """
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    axis = canonicalize_axis("argpartition", axis, x.ndim)
    n = x.shape[axis] if x.ndim else 1
    if not -n <= kth < n:
        raise ValueError(
            "Invalid value for argument `kth` of ops.argpartition: expected "
            f"an index in [{-n}, {n}). Received: kth={kth}"
        )
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)
