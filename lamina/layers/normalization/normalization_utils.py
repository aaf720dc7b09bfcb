"""Helpers shared by the normalization layers.

Axis checks, the float32 upcast Keras applies to half-precision inputs,
the `(N, C, ...)` views that let torch's fused kernels read channels-last
inputs without copies, and moments (masked, or summed across processes)
live here once.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable

import torch

from lamina import config
from lamina.errors import format_shape
from lamina.errors import format_value


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def standardize_axis(owner: str, axis: Any) -> int | list[int]:
    """`axis` as Keras keeps it: an int, or a list of ints."""
    if _is_int(axis):
        return int(axis)
    if (
        isinstance(axis, (list, tuple))
        and axis
        and all(_is_int(a) for a in axis)
    ):
        return [int(a) for a in axis]
    raise TypeError(
        f"Invalid value for argument `axis` of {owner}: expected an int or "
        f"a list/tuple of ints. Received: axis={format_value(axis)}"
    )


def resolve_axes(layer: Any, axis: Any, input_shape: Any) -> tuple[int, ...]:
    """`axis` as sorted, non-negative, distinct indices into `input_shape`.

    Raises a ValueError naming the layer, the axis and the shape when an
    axis is out of range.
    """
    ndim = len(input_shape)
    axes = [axis] if _is_int(axis) else list(axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(
                f"Layer '{layer.name}' ({type(layer).__name__}): axis {a} "
                f"is out of bounds for an input of rank {ndim}. Received: "
                f"axis={axis}, input_shape={format_shape(input_shape)}"
            )
    resolved = sorted({a % ndim for a in axes})
    if len(resolved) != len(axes):
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}): duplicate axes. "
            f"Received: axis={axis}, input_shape={format_shape(input_shape)}"
        )
    return tuple(resolved)


def require_known(layer: Any, axes: tuple[int, ...], input_shape: Any) -> None:
    """Weights span `axes`, so their sizes must be known at build time."""
    for a in axes:
        if input_shape[a] is None:
            raise ValueError(
                f"Layer '{layer.name}' ({type(layer).__name__}) needs a "
                f"known size on axis {a}, the axis it normalizes or scales. "
                f"Received: input_shape={format_shape(input_shape)}"
            )


def upcast(x: torch.Tensor) -> torch.Tensor:
    """Half-precision inputs are normalized in float32 (statistics overflow
    or lose too much in 16 bits), as Keras does."""
    if x.dtype in (torch.float16, torch.bfloat16):
        return x.float()
    return x


def channels_first_view(
    x: torch.Tensor, axis: int
) -> tuple[torch.Tensor, Callable[[torch.Tensor], torch.Tensor]]:
    """`x` seen as `(N, C, ...)` with channels on `axis`, and the inverse.

    A contiguous channels-last tensor becomes `(N * spatial, C)` by a free
    reshape, the layout torch's batch-norm kernels read fastest; other axes
    are moved with a view (`movedim`), never an explicit copy.
    """
    if x.ndim == 1:
        return x.unsqueeze(0), lambda y: y.squeeze(0)
    if axis == 1:
        return x, lambda y: y
    shape = x.shape
    if axis == x.ndim - 1 and x.is_contiguous():
        return x.reshape(-1, shape[-1]), lambda y: y.reshape(shape)
    return x.movedim(axis, 1), lambda y: y.movedim(1, axis)


def broadcast_shape(
    ndim: int, axes: tuple[int, ...], sizes: tuple[int, ...]
) -> list[int]:
    """Shape that broadcasts a weight spanning `axes` against the input."""
    shape = [1] * ndim
    for a, s in zip(axes, sizes):
        shape[a] = s
    return shape


def moments(
    x: torch.Tensor,
    axes: tuple[int, ...],
    mask: Any = None,
    synchronized: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Differentiable per-channel `(mean, variance)` (biased, like Keras),
    reduced over `axes`, with their reduced axes squeezed.

    `mask` (shaped like `x` without its last axis) leaves masked entries
    out, with Keras's formula. With `synchronized` and an initialized
    process group, the sums are all-reduced so every process sees the
    global statistics (gradients flow through the all-reduce).
    """
    weights = None
    if mask is not None:
        weights = mask.unsqueeze(-1).to(x.dtype).expand_as(x)
    if synchronized and _distributed():
        return _global_moments(x, axes, weights)
    if weights is None:
        variance, mean = torch.var_mean(x, dim=axes, correction=0)
        return mean, variance
    count = weights.sum(dim=axes, keepdim=True) + config.epsilon()
    mean = (x * weights).sum(dim=axes, keepdim=True) / count
    variance = ((x - mean).square() * weights).sum(
        dim=axes, keepdim=True
    ) / count
    return mean.squeeze(axes), variance.squeeze(axes)


def _distributed() -> bool:
    dist = torch.distributed
    return dist.is_available() and dist.is_initialized()


def _global_moments(x, axes, weights):
    # The functional collective is differentiable (its backward is another
    # all-reduce) and traceable by torch.compile.
    from torch.distributed import _functional_collectives as collectives

    # Keras's masked formula adds epsilon to the count; unmasked, the count
    # is exact.
    fuzz = 0.0 if weights is None else config.epsilon()
    if weights is None:
        weights = torch.ones_like(x)
    # One all-reduce of [sum, sum of squares, count] per channel.
    stacked = torch.stack(
        [
            (x * weights).sum(dim=axes),
            (x.square() * weights).sum(dim=axes),
            weights.sum(dim=axes),
        ]
    )
    total = collectives.all_reduce(
        # torch's stub types group.WORLD as Optional; it is the default
        # group once the process group exists (all_reduce runs only then).
        stacked,
        "sum",
        torch.distributed.group.WORLD,  # type: ignore[arg-type]
    )
    count = total[2] + fuzz
    mean = total[0] / count
    variance = (total[1] / count - mean.square()).clamp_min(0.0)
    return mean, variance


def normalize(
    x: torch.Tensor,
    mean: torch.Tensor,
    variance: torch.Tensor,
    gamma: Any,
    beta: Any,
    epsilon: float,
    axis: int,
) -> torch.Tensor:
    """`(x - mean) / sqrt(variance + epsilon) * gamma + beta`, with the
    per-channel vectors broadcast along `axis` (differentiable in all)."""
    shape = [1] * x.ndim
    shape[axis] = -1
    inv = torch.rsqrt(variance + epsilon)
    if gamma is not None:
        inv = inv * gamma
    shift = -mean * inv
    if beta is not None:
        shift = shift + beta
    return torch.addcmul(shift.reshape(shape), x, inv.reshape(shape))
