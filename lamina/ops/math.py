"""`keras.ops.math` ops: `top_k`, `in_top_k`, `logsumexp`, `erf`, `rsqrt`,
`segment_sum`, `segment_max`."""

from __future__ import annotations

import torch

from lamina.errors import format_shape
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def top_k(x: TensorLike, k: int, sorted: bool = True) -> tuple:
    """The `k` largest values along the last axis, and their indices.

    Args:
        x: Input tensor.
        k: Number of values to keep.
        sorted: Whether the values come out in descending order.

    Returns:
        A `(values, indices)` pair (the indices are `int64`, as torch
        returns them).

    Example:

    >>> from lamina import ops
    >>> values, indices = ops.top_k([1, 5, 3, 4], k=2)
    >>> values.tolist(), indices.tolist()
    ([5, 4], [1, 3])
    """
    x = to_tensor(x)
    return torch.topk(x, k, sorted=sorted)


@op
def in_top_k(
    targets: TensorLike, predictions: TensorLike, k: int
) -> torch.Tensor:
    """Whether each target is among the top-`k` predictions.

    Ties with the `k`-th value count as in the top `k`.

    Args:
        targets: `(batch,)` integer class indices.
        predictions: `(batch, num_classes)` scores.
        k: How many top predictions to consider.

    Returns:
        A `(batch,)` `bool` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.in_top_k([1, 0], [[0.1, 0.9], [0.2, 0.8]], k=1).tolist()
    [True, False]
    """
    predictions = to_tensor(predictions)
    targets = to_tensor(targets, device=predictions.device)
    targets = targets.to(torch.int64)[:, None]
    kth = torch.topk(predictions, k).values[..., -1:]
    target_scores = torch.take_along_dim(predictions, targets, dim=-1)
    return (target_scores >= kth)[..., 0]


@op
def logsumexp(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """`log(sum(exp(x)))` over the given axes, computed stably.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The log-sum-exp.

    Example:

    >>> from lamina import ops
    >>> round(ops.logsumexp([0.0, 0.0]).item(), 4)
    0.6931
    """
    x = to_tensor(x)
    if axis is None:
        axis = tuple(range(x.ndim))
    elif isinstance(axis, list):
        axis = tuple(axis)
    return torch.logsumexp(x, dim=axis, keepdim=keepdims)


@op
def erf(x: TensorLike) -> torch.Tensor:
    """The Gauss error function, element-wise.

    Args:
        x: Input tensor.

    Returns:
        `erf(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.erf([0.0]).tolist()
    [0.0]
    """
    return torch.erf(to_tensor(x))


@op
def rsqrt(x: TensorLike) -> torch.Tensor:
    """`1 / sqrt(x)`, element-wise.

    Args:
        x: Input tensor.

    Returns:
        The reciprocal square root.

    Example:

    >>> from lamina import ops
    >>> ops.rsqrt([4.0]).tolist()
    [0.5]
    """
    return torch.rsqrt(to_tensor(x))


def _segment_fill(reduce: str, dtype: torch.dtype):
    """The value of an empty segment (the reduction's identity)."""
    if reduce in ("sum", "prod"):
        return 0 if reduce == "sum" else 1
    if dtype.is_floating_point:
        return float("-inf") if reduce == "amax" else float("inf")
    if dtype == torch.bool:
        return reduce == "amin"
    info = torch.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


def _segment_reduce(name, data, segment_ids, num_segments, reduce):
    data = to_tensor(data)
    ids = to_tensor(segment_ids, device=data.device)
    if ids.ndim != 1 or (data.ndim and ids.shape[0] != data.shape[0]):
        raise ValueError(
            f"`ops.{name}` expects 1-D `segment_ids` with one entry per "
            f"row of `data`. Received: segment_ids.shape="
            f"{format_shape(ids.shape)}, data.shape={format_shape(data.shape)}"
        )
    ids = ids.to(torch.int64)
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.numel() else 0
    # Out-of-range ids go to one spare segment, dropped at the end.
    ids = torch.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    fill = _segment_fill(reduce, data.dtype)
    out = torch.full(
        (num_segments + 1,) + tuple(data.shape[1:]),
        fill,
        dtype=data.dtype,
        device=data.device,
    )
    index = ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand_as(data)
    out.scatter_reduce_(0, index, data, reduce, include_self=True)
    return out[:-1]


@op
def segment_sum(
    data: TensorLike,
    segment_ids: TensorLike,
    num_segments: int | None = None,
    sorted: bool = False,
) -> torch.Tensor:
    """Sum of the rows of `data` in each segment.

    Args:
        data: Input tensor; its first axis is segmented.
        segment_ids: `(data.shape[0],)` segment index of each row.
            Rows with an id outside `[0, num_segments)` are dropped.
        num_segments: Number of segments; by default `max(ids) + 1`.
        sorted: Accepted for Keras compatibility (ids need not be sorted).

    Returns:
        A `(num_segments, *data.shape[1:])` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.segment_sum([1, 2, 3, 4], [0, 0, 1, 1]).tolist()
    [3, 7]
    """
    return _segment_reduce(
        "segment_sum", data, segment_ids, num_segments, "sum"
    )


@op
def segment_max(
    data: TensorLike,
    segment_ids: TensorLike,
    num_segments: int | None = None,
    sorted: bool = False,
) -> torch.Tensor:
    """Maximum of the rows of `data` in each segment.

    Args:
        data: Input tensor; its first axis is segmented.
        segment_ids: `(data.shape[0],)` segment index of each row.
            Rows with an id outside `[0, num_segments)` are dropped.
        num_segments: Number of segments; by default `max(ids) + 1`.
        sorted: Accepted for Keras compatibility (ids need not be sorted).

    Returns:
        A `(num_segments, *data.shape[1:])` tensor; empty segments hold
        the dtype's lowest value (`-inf` for floats).

    Example:

    >>> from lamina import ops
    >>> ops.segment_max([1, 2, 3, 4], [0, 0, 1, 1]).tolist()
    [2, 4]
    """
    return _segment_reduce(
        "segment_max", data, segment_ids, num_segments, "amax"
    )


@op
def segment_min(
    data: TensorLike,
    segment_ids: TensorLike,
    num_segments: int | None = None,
    sorted: bool = False,
) -> torch.Tensor:
    """Minimum of the rows of `data` in each segment.

    Args:
        data: Input tensor; its first axis is segmented.
        segment_ids: `(data.shape[0],)` segment index of each row.
            Rows with an id outside `[0, num_segments)` are dropped.
        num_segments: Number of segments; by default `max(ids) + 1`.
        sorted: Accepted for Keras compatibility (ids need not be sorted).

    Returns:
        A `(num_segments, *data.shape[1:])` tensor; empty segments hold
        the dtype's highest value (`inf` for floats).

    Example:

    >>> from lamina import ops
    >>> ops.segment_min([1, 2, 3, 4], [0, 0, 1, 1]).tolist()
    [1, 3]
    """
    return _segment_reduce(
        "segment_min", data, segment_ids, num_segments, "amin"
    )


@op
def segment_prod(
    data: TensorLike,
    segment_ids: TensorLike,
    num_segments: int | None = None,
    sorted: bool = False,
) -> torch.Tensor:
    """Product of the rows of `data` in each segment.

    Args:
        data: Input tensor; its first axis is segmented.
        segment_ids: `(data.shape[0],)` segment index of each row.
            Rows with an id outside `[0, num_segments)` are dropped.
        num_segments: Number of segments; by default `max(ids) + 1`.
        sorted: Accepted for Keras compatibility (ids need not be sorted).

    Returns:
        A `(num_segments, *data.shape[1:])` tensor; empty segments hold 1.

    Example:

    >>> from lamina import ops
    >>> ops.segment_prod([1, 2, 3, 4], [0, 0, 1, 1]).tolist()
    [2, 12]
    """
    return _segment_reduce(
        "segment_prod", data, segment_ids, num_segments, "prod"
    )
