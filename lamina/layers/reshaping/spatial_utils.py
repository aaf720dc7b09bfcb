"""Argument helpers shared by the padding, cropping and up-sampling layers.

Each of those layers takes per-axis integers (`size`) or per-axis
`(before, after)` pairs (`padding`, `cropping`) over the spatial axes of a
`channels_last` or `channels_first` input; the checks and the axis
arithmetic live here once.
"""

from __future__ import annotations

import numbers
from typing import Any

from lamina.errors import invalid_argument


def is_int(value: Any) -> bool:
    # NumPy integers register as `numbers.Integral`; bools are excluded.
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def standardize_tuple(
    value: Any, n: int, arg: str, owner: str, allow_zero: bool = False
) -> tuple[int, ...]:
    """`value` (an int, or `n` ints) as a tuple of `n` ints.

    Each entry must be positive (non-negative with `allow_zero`).
    """
    if is_int(value):
        values = (int(value),) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            values = ()
        if len(values) != n or not all(is_int(v) for v in values):
            raise ValueError(
                invalid_argument(
                    owner, arg, f"an integer or a tuple of {n} integers", value
                )
            )
        values = tuple(int(v) for v in values)
    low = 0 if allow_zero else 1
    if any(v < low for v in values):
        raise ValueError(
            invalid_argument(owner, arg, f"integers >= {low}", value)
        )
    return values


def standardize_pairs(
    value: Any, rank: int, arg: str, owner: str
) -> tuple[tuple[int, ...], ...]:
    """Per-axis `(before, after)` amounts for `rank` spatial axes.

    With `rank == 1`, `value` is one int (both sides) or one pair, as in
    Keras's 1D layers. Otherwise it is one int (every side), `rank` ints
    (symmetric per axis) or `rank` pairs.
    """
    if rank == 1:
        return (standardize_tuple(value, 2, arg, owner, allow_zero=True),)
    if is_int(value):
        entries = (value,) * rank
    else:
        try:
            entries = tuple(value)
        except TypeError:
            entries = ()
        if len(entries) != rank:
            raise ValueError(
                invalid_argument(
                    owner,
                    arg,
                    f"an integer, a tuple of {rank} integers or a tuple of "
                    f"{rank} pairs of integers",
                    value,
                )
            )
    return tuple(
        standardize_tuple(e, 2, arg, owner, allow_zero=True) for e in entries
    )


def spatial_axes(rank: int, data_format: str) -> tuple[int, ...]:
    """Indices of the spatial axes of a `(batch, ..., channels)` input
    (`channels_last`) or a `(batch, channels, ...)` one."""
    first = 2 if data_format == "channels_first" else 1
    return tuple(range(first, first + rank))
