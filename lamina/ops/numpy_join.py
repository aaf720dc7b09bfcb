"""Joining, splitting and repeating tensors."""

from __future__ import annotations

import torch

from lamina.errors import format_shape
from lamina.ops._convert import canonicalize_axis
from lamina.ops._convert import same_device
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


def _check_sequence(name: str, xs) -> None:
    if isinstance(xs, torch.Tensor) or not isinstance(xs, (list, tuple)):
        raise TypeError(
            f"`ops.{name}` expects a list or tuple of tensors. "
            f"Received: {type(xs).__name__}"
        )
    if len(xs) == 0:
        raise ValueError(
            f"`ops.{name}` needs at least one tensor. Received: xs=[]"
        )


@op
def concatenate(xs: list | tuple, axis: int = 0) -> torch.Tensor:
    """Join a sequence of tensors along an existing axis.

    Args:
        xs: The tensors; all must have the same shape except along `axis`.
        axis: The axis to join along. Defaults to `0`.

    Returns:
        The concatenated tensor, in the promoted dtype of the inputs.

    Example:

    >>> from lamina import ops
    >>> ops.concatenate([[[1, 2]], [[3, 4]]], axis=0).tolist()
    [[1, 2], [3, 4]]
    """
    _check_sequence("concatenate", xs)
    xs = same_device(*xs)
    rank = xs[0].ndim
    ax = canonicalize_axis("concatenate", axis, rank)
    ref = [d for i, d in enumerate(xs[0].shape) if i != ax]
    for t in xs[1:]:
        if (
            t.ndim != rank
            or [d for i, d in enumerate(t.shape) if i != ax] != ref
        ):
            shapes = ", ".join(format_shape(t.shape) for t in xs)
            raise ValueError(
                "`ops.concatenate` expects all inputs to have the same rank "
                f"and the same shape except along axis {axis}. Received: "
                f"shapes [{shapes}] with axis={axis}"
            )
    return torch.cat(xs, dim=ax)


@op
def stack(x: list | tuple, axis: int = 0) -> torch.Tensor:
    """Join a sequence of same-shape tensors along a new axis.

    Args:
        x: The tensors, all of the same shape.
        axis: Position of the new axis in the output. Defaults to `0`.

    Returns:
        The stacked tensor, with one more axis than the inputs.

    Example:

    >>> from lamina import ops
    >>> ops.stack([[1, 2], [3, 4]], axis=1).tolist()
    [[1, 3], [2, 4]]
    """
    _check_sequence("stack", x)
    xs = same_device(*x)
    if any(t.shape != xs[0].shape for t in xs[1:]):
        shapes = ", ".join(format_shape(t.shape) for t in xs)
        raise ValueError(
            "`ops.stack` expects all inputs to have the same shape. "
            f"Received: shapes [{shapes}]"
        )
    return torch.stack(xs, dim=axis)


def _split_points(x, indices_or_sections, axis) -> list:
    dim = x.shape[axis]
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0 or dim % sections != 0:
            raise ValueError(
                f"`ops.split` cannot divide axis {axis} of size {dim} "
                f"(tensor shape {format_shape(x.shape)}) into "
                f"{sections} equal sections. Received: "
                f"indices_or_sections={sections}"
            )
        step = dim // sections
        return [i * step for i in range(sections + 1)]
    if isinstance(indices_or_sections, torch.Tensor):
        indices_or_sections = indices_or_sections.tolist()
    return [0, *(int(i) for i in indices_or_sections), dim]


@op
def split(
    x: TensorLike, indices_or_sections: int | list, axis: int = 0
) -> list:
    """Split a tensor into several sub-tensors along an axis.

    Args:
        x: Input tensor.
        indices_or_sections: Either a number of equal sections (which must
            divide the axis), or the sorted indices where to split.
        axis: The axis to split along. Defaults to `0`.

    Returns:
        A list of tensors (views of `x`).

    Example:

    >>> from lamina import ops
    >>> [t.tolist() for t in ops.split([1, 2, 3, 4, 5], [2, 3])]
    [[1, 2], [3], [4, 5]]
    """
    x = to_tensor(x)
    axis = canonicalize_axis("split", axis, x.ndim)
    points = _split_points(x, indices_or_sections, axis)
    lead = (slice(None),) * axis
    # Python slicing gives NumPy's rules for out-of-range or negative
    # split indices.
    return [x[lead + (slice(a, b),)] for a, b in zip(points, points[1:])]


@op
def tile(x: TensorLike, repeats: int | tuple) -> torch.Tensor:
    """Repeat a whole tensor `repeats` times along each axis.

    Args:
        x: Input tensor.
        repeats: Number of repetitions per axis (an int for the last axis,
            or a sequence; missing leading entries count as 1).

    Returns:
        The tiled tensor.

    Example:

    >>> from lamina import ops
    >>> ops.tile([1, 2], 2).tolist()
    [1, 2, 1, 2]
    """
    if isinstance(repeats, torch.Tensor):
        repeats = tuple(int(r) for r in repeats.tolist())
    elif isinstance(repeats, int):
        repeats = (repeats,)
    x = to_tensor(x)
    return torch.tile(x, tuple(repeats))


@op
def repeat(
    x: TensorLike, repeats: int | list, axis: int | None = None
) -> torch.Tensor:
    """Repeat each element of a tensor after itself.

    Args:
        x: Input tensor.
        repeats: Repetitions per element: an int, or one int per element
            along `axis`.
        axis: The axis to repeat along; by default `x` is flattened first.

    Returns:
        The repeated tensor.

    Example:

    >>> from lamina import ops
    >>> ops.repeat([1, 2], 2).tolist()
    [1, 1, 2, 2]
    """
    x = to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = canonicalize_axis("repeat", axis, x.ndim)
    if isinstance(repeats, int):
        # expand + reshape keeps static shapes, unlike repeat_interleave
        # (which meta-device tracing and torch.export cannot size).
        shape = list(x.shape)
        y = x.unsqueeze(axis + 1)
        sizes = [-1] * y.ndim
        sizes[axis + 1] = repeats
        shape[axis] *= repeats
        return y.expand(sizes).reshape(shape)
    if isinstance(repeats, torch.Tensor):
        repeats = repeats.to(device=x.device, dtype=torch.int64)
        return torch.repeat_interleave(x, repeats, dim=axis)
    counts = [int(r) for r in repeats]
    if len(counts) != x.shape[axis]:
        raise ValueError(
            f"`ops.repeat` needs one count per element along axis {axis} "
            f"(size {x.shape[axis]}). Received: repeats={list(repeats)}"
        )
    counts_t = torch.tensor(counts, dtype=torch.int64, device=x.device)
    return torch.repeat_interleave(
        x, counts_t, dim=axis, output_size=sum(counts)
    )
