"""`pad`, with NumPy's pad-width forms and modes.

`torch.nn.functional.pad` only reflects the last 1–3 axes of float
tensors, so the non-constant modes are built here per axis from slices,
which works for any rank and dtype and matches NumPy exactly.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import format_shape
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike

_MODES = (
    "constant",
    "edge",
    "reflect",
    "symmetric",
    "wrap",
    "circular",
    "replicate",
)


def _pad_pairs(pad_width, ndim: int) -> list:
    """NumPy's pad-width forms → one `(before, after)` pair per axis."""
    if isinstance(pad_width, torch.Tensor):
        pad_width = pad_width.tolist()
    if isinstance(pad_width, int):
        pairs = [(pad_width, pad_width)]
    elif len(pad_width) and isinstance(pad_width[0], int):
        pairs = [tuple(pad_width)]
    else:
        pairs = [tuple(p) for p in pad_width]
    pairs = [(p[0], p[0]) if len(p) == 1 else p for p in pairs]
    if len(pairs) == 1:
        pairs = pairs * ndim
    bad_rank = len(pairs) != ndim
    if bad_rank or any(len(p) != 2 or p[0] < 0 or p[1] < 0 for p in pairs):
        raise ValueError(
            "`ops.pad` expects `pad_width` to hold one non-negative "
            f"(before, after) pair per axis of `x` (rank {ndim}), or a "
            f"single pair for all axes. Received: pad_width={pad_width}"
        )
    return [(int(a), int(b)) for a, b in pairs]


def _side(x, axis, width, mode, before) -> torch.Tensor:
    """The `width` values added on one side of `axis`."""
    n = x.shape[axis]
    if mode in ("edge", "replicate"):
        edge = x.narrow(axis, 0 if before else n - 1, 1)
        sizes = list(x.shape)
        sizes[axis] = width
        return edge.expand(sizes)
    if mode in ("wrap", "circular"):
        return x.narrow(axis, n - width if before else 0, width)
    # reflect leaves out the edge value; symmetric repeats it.
    skip = 1 if mode == "reflect" else 0
    start = skip if before else n - width - skip
    return torch.flip(x.narrow(axis, start, width), dims=(axis,))


def _pad_axis(x, axis, before, after, mode) -> torch.Tensor:
    limit = x.shape[axis] - (1 if mode == "reflect" else 0)
    if max(before, after) > limit:
        raise ValueError(
            f"`ops.pad` in mode {mode!r} can add at most {limit} values on "
            f"each side of axis {axis} (size {x.shape[axis]}). Received: "
            f"pad_width=({before}, {after}) for x.shape={format_shape(x.shape)}"
        )
    parts = [x]
    if before:
        parts.insert(0, _side(x, axis, before, mode, before=True))
    if after:
        parts.append(_side(x, axis, after, mode, before=False))
    return torch.cat(parts, dim=axis) if len(parts) > 1 else x


@op
def pad(
    x: TensorLike,
    pad_width: Any,
    mode: str = "constant",
    constant_values: float | None = None,
) -> torch.Tensor:
    """Pad a tensor.

    Args:
        x: Tensor to pad.
        pad_width: Number of values padded on the edges of each axis:
            `((before_1, after_1), ..., (before_N, after_N))`, or one
            `(before, after)` pair or one int for every axis.
        mode: One of `"constant"`, `"edge"`, `"reflect"`, `"symmetric"`,
            `"wrap"` (alias `"circular"`). Defaults to `"constant"`.
        constant_values: The fill value in `"constant"` mode (default 0).

    Returns:
        The padded tensor.

    Example:

    >>> from lamina import ops
    >>> ops.pad([1, 2, 3], (1, 2), mode="reflect").tolist()
    [2, 1, 2, 3, 2, 1]
    """
    if mode not in _MODES:
        raise ValueError(
            f"`ops.pad` supports the modes {_MODES}. Received: mode={mode!r}"
        )
    if constant_values is not None and mode != "constant":
        raise ValueError(
            "Argument `constant_values` of `ops.pad` can only be provided "
            f"when `mode == 'constant'`. Received: mode={mode!r}"
        )
    x = to_tensor(x)
    pairs = _pad_pairs(pad_width, x.ndim)
    if mode == "constant":
        flat = [w for pair in reversed(pairs) for w in pair]
        value = 0 if constant_values is None else constant_values
        return torch.nn.functional.pad(x, flat, mode="constant", value=value)
    for axis, (before, after) in enumerate(pairs):
        if before or after:
            x = _pad_axis(x, axis, before, after, mode)
    return x
