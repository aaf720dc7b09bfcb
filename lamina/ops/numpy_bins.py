"""Binning and counting: `searchsorted`, `digitize`, `bincount`,
`histogram`.

Index outputs are `int32`, as in Keras. None of these reads values back
to the host: `histogram` bins on the device, even with `range=None`.
"""

from __future__ import annotations

import torch

from lamina.ops._convert import same_device, to_tensor
from lamina.ops._dtypes import result_type, to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _common_dtype(a: torch.Tensor, b: torch.Tensor) -> tuple:
    if a.dtype == b.dtype:
        return a, b
    dtype = to_torch_dtype(result_type(a.dtype, b.dtype))
    return a.to(dtype), b.to(dtype)


@op
def searchsorted(
    sorted_sequence: TensorLike, values: TensorLike, side: str = "left"
) -> torch.Tensor:
    """Where `values` would go in `sorted_sequence` to keep it sorted.

    Args:
        sorted_sequence: A sorted 1-D tensor.
        values: The values to place (any shape).
        side: `"left"` gives the first suitable index, `"right"` the last.

    Returns:
        `int32` insertion indices of `values`'s shape.

    Example:

    >>> from lamina import ops
    >>> ops.searchsorted([1, 3, 5], [0, 3, 6]).tolist()
    [0, 1, 3]
    """
    seq, values = same_device(sorted_sequence, values)
    if seq.ndim != 1:
        raise ValueError(
            "Invalid value for argument `sorted_sequence` of "
            "ops.searchsorted: expected a 1-D tensor (use "
            "ops.vectorized_map for N-D). Received: "
            f"sorted_sequence.shape={tuple(seq.shape)}"
        )
    if side not in ("left", "right"):
        raise ValueError(
            "Invalid value for argument `side` of ops.searchsorted: "
            f"expected 'left' or 'right'. Received: side={side!r}"
        )
    seq, values = _common_dtype(seq, values)
    return torch.searchsorted(seq, values, side=side, out_int32=True)


@op
def digitize(x: TensorLike, bins: TensorLike) -> torch.Tensor:
    """The index of the bin each element of `x` falls in.

    Args:
        x: Input values.
        bins: Increasing 1-D bin edges.

    Returns:
        `int32` indices `i` with `bins[i-1] <= x < bins[i]`.

    Example:

    >>> from lamina import ops
    >>> ops.digitize([0.5, 1.0, 2.5], [1.0, 2.0]).tolist()
    [0, 1, 2]
    """
    x, bins = same_device(x, bins)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    x, bins = _common_dtype(x, bins)
    return torch.bucketize(x, bins, right=True).to(torch.int32)


@op
def bincount(
    x: TensorLike,
    weights: TensorLike | None = None,
    minlength: int = 0,
    sparse: bool = False,
) -> torch.Tensor:
    """Count the occurrences of each non-negative integer in `x`.

    Args:
        x: Non-negative integers, 1-D, or 2-D to count each row apart.
        weights: Optional weights of `x`'s shape, summed instead of ones.
        minlength: The minimum number of bins.
        sparse: Not supported (Keras on torch refuses it too).

    Returns:
        The counts: `int32`, or `result_type(x, weights)` with weights.

    Example:

    >>> from lamina import ops
    >>> ops.bincount([0, 1, 1, 3]).tolist()
    [1, 2, 0, 1]
    """
    if sparse:
        raise ValueError(
            "Invalid value for argument `sparse` of ops.bincount: sparse "
            "outputs are not supported with torch. Received: sparse=True"
        )
    x = to_tensor(x)
    if weights is None:
        dtype = torch.int32
    else:
        weights = to_tensor(weights, device=x.device)
        dtype = to_torch_dtype(result_type(x.dtype, weights.dtype))
    if x.ndim == 2:
        rows = [
            torch.bincount(
                r, None if weights is None else weights[i], minlength
            )
            for i, r in enumerate(x)
        ]
        if rows:
            width = max(r.shape[0] for r in rows)
            rows = [
                torch.nn.functional.pad(r, (0, width - r.shape[0]))
                for r in rows
            ]
        return torch.stack(rows).to(dtype)
    return torch.bincount(x, weights, minlength).to(dtype)


def _histogram_range(x: torch.Tensor, range) -> tuple:
    if range is not None:
        lo = torch.tensor(float(range[0]), dtype=x.dtype, device=x.device)
        hi = torch.tensor(float(range[1]), dtype=x.dtype, device=x.device)
        return lo, hi
    lo, hi = (
        torch.aminmax(x) if x.numel() else (x.new_zeros(()), x.new_ones(()))
    )
    # NumPy widens an empty range to +-0.5.
    same = lo == hi
    return torch.where(same, lo - 0.5, lo), torch.where(same, hi + 0.5, hi)


@op
def histogram(
    x: TensorLike, bins: int = 10, range: tuple | None = None
) -> tuple:
    """Histogram of a 1-D tensor over equal-width bins.

    Args:
        x: 1-D input values.
        bins: Number of bins.
        range: `(lower, upper)` bounds; `None` uses `x`'s min and max.
            Values outside are ignored; the last bin includes `upper`.

    Returns:
        A tuple `(counts, bin_edges)`, both in `x`'s dtype (`float32` for
        integer inputs).

    Example:

    >>> from lamina import ops
    >>> counts, edges = ops.histogram([0.0, 0.5, 1.0, 1.0], bins=2)
    >>> (counts.tolist(), edges.tolist())
    ([1.0, 3.0], [0.0, 0.5, 1.0])
    """
    _check_histogram_args(bins, range)
    x = to_tensor(x)
    if x.ndim > 1:
        raise ValueError(
            "Invalid value for argument `x` of ops.histogram: expected a "
            f"1-D tensor. Received: x.shape={tuple(x.shape)}"
        )
    if not x.dtype.is_floating_point:
        x = x.to(torch.float32)
    lo, hi = _histogram_range(x, range)
    steps = torch.arange(bins + 1, device=x.device, dtype=torch.float64)
    edges = lo.double() + (hi.double() - lo.double()) * steps / bins
    index = torch.bucketize(x.double(), edges[1:-1], right=True)
    inside = ((x >= lo) & (x <= hi)).to(x.dtype)
    counts = torch.zeros(bins, dtype=x.dtype, device=x.device)
    counts = counts.scatter_add(0, index, inside)
    return counts, edges.to(x.dtype)


def _check_histogram_args(bins, range) -> None:
    if isinstance(bins, bool) or not isinstance(bins, int):
        raise TypeError(
            "Invalid value for argument `bins` of ops.histogram: expected "
            f"an int. Received: bins={bins!r}"
        )
    if bins < 0:
        raise ValueError(
            "Invalid value for argument `bins` of ops.histogram: expected a "
            f"non-negative int. Received: bins={bins}"
        )
    if range is not None and (
        not isinstance(range, tuple) or len(range) != 2 or range[1] < range[0]
    ):
        raise ValueError(
            "Invalid value for argument `range` of ops.histogram: expected "
            f"a tuple (lower, upper) with lower <= upper. Received: "
            f"range={range}"
        )
