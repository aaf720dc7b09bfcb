"""Argument checks shared by the augmentation layers: Keras's rules for
`factor`-like ranges, value ranges and the affine modes, with lamina's
error messages."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numbers


class UnsupportedArgumentError(NotImplementedError, ValueError):
    """An unknown `fill_mode`/`interpolation`: Keras raises
    `NotImplementedError`; lamina's errors are `ValueError`s. Both catch
    it."""


def check_choice(owner: Any, arg: str, value: Any, choices: Any) -> None:
    if value not in choices:
        raise UnsupportedArgumentError(
            f"Invalid value for argument `{arg}` of {owner}: expected one "
            f"of {tuple(choices)}. Received: {arg}={value!r}"
        )


def check_value_range(owner: Any, value_range: Sequence[float]) -> list:
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(
            f"Invalid value for argument `value_range` of {owner}: expected "
            f"a list of two numbers. Received: value_range={value_range!r}"
        )
    return sorted(value_range)


def factor_range(
    owner: Any, arg: str, factor: Any, bounds: Any, symmetric: bool = True
) -> tuple:
    """Keras's factor rule: a number `f` gives `(-f, f)` (clipped to the
    lower bound) or `(0, f)` when not `symmetric`; a pair is sorted."""
    low, high = bounds
    message = (
        f"Invalid value for argument `{arg}` of {owner}: expected a "
        f"number (or a list of two numbers) in the range [{low}, "
        f"{high}]. Received: {arg}={factor!r}"
    )
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(
            isinstance(f, numbers.Real) for f in factor
        ):
            raise ValueError(message)
        if factor[0] > high or factor[1] < low:
            raise ValueError(message)
        return tuple(sorted(factor))
    if (
        not isinstance(factor, numbers.Real)
        or isinstance(factor, bool)
        or not low <= factor <= high
    ):
        raise ValueError(message)
    factor = abs(factor)
    return (max(-factor, low) if symmetric else 0, factor)


def check_affine_arguments(
    owner: Any,
    fill_mode: str,
    interpolation: str,
    fill_modes: Any = ("reflect", "wrap", "constant", "nearest"),
) -> None:
    check_choice(owner, "fill_mode", fill_mode, fill_modes)
    check_choice(owner, "interpolation", interpolation, ("nearest", "bilinear"))


def strict_range(
    owner: Any,
    arg: str,
    factor: Any,
    low: Any,
    high: Any,
    open_low: bool = False,
) -> tuple:
    """A number `f` gives `(-|f|, |f|)`, a pair is sorted; every number
    must lie in `[low, high]` (`(low, high]` with `open_low`)."""
    values = list(factor) if isinstance(factor, (tuple, list)) else [factor]

    def inside(v):
        return (
            isinstance(v, (int, float))
            and not isinstance(v, bool)
            and (low < v if open_low else low <= v)
            and v <= high
        )

    if len(values) not in (1, 2) or not all(inside(v) for v in values):
        bracket = "(" if open_low else "["
        raise ValueError(
            f"Invalid value for argument `{arg}` of {owner}: expected a "
            f"number (or a list of two numbers) in the range {bracket}{low},"
            f" {high}]. Received: {arg}={factor!r}"
        )
    if len(values) == 2:
        return tuple(sorted(values))
    return (-abs(factor), abs(factor))
