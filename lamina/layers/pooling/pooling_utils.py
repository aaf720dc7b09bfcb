"""Argument checks and layout views shared by the pooling layers."""

from __future__ import annotations

import numbers
from typing import Any

import torch

from lamina import config
from lamina.errors import invalid_argument

_PADDINGS = ("valid", "same")


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def standardize_tuple(
    owner: str, arg: str, value: Any, n: int
) -> tuple[int, ...]:
    """`value` (an int, or `n` ints) as a tuple of `n` positive ints."""
    if _is_int(value):
        values = (int(value),) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            values = ()
        if len(values) != n or not all(_is_int(v) for v in values):
            raise ValueError(
                invalid_argument(
                    owner, arg, f"an integer or a tuple of {n} integers", value
                )
            )
        values = tuple(int(v) for v in values)
    if any(v < 1 for v in values):
        raise ValueError(
            invalid_argument(owner, arg, "positive integers", value)
        )
    return values


def standardize_padding(owner: str, padding: Any) -> str:
    """`"valid"` or `"same"` (any case)."""
    value = padding.lower() if isinstance(padding, str) else padding
    if value not in _PADDINGS:
        raise ValueError(
            invalid_argument(
                owner, "padding", "one of 'valid', 'same'", padding
            )
        )
    return value


def standardize_data_format(owner: str, data_format: Any) -> str:
    """The global default for None; otherwise one of the two layouts."""
    try:
        return config.standardize_data_format(data_format)
    except ValueError:
        raise ValueError(
            invalid_argument(
                owner,
                "data_format",
                "one of 'channels_last', 'channels_first'",
                data_format,
            )
        ) from None


def channels_first(x: torch.Tensor, data_format: str) -> torch.Tensor:
    """A `channels_last` input as `(N, C, *spatial)`: a permuted view, which
    torch reads as `torch.channels_last` memory format (no copy)."""
    if data_format == "channels_first":
        return x
    return x.movedim(-1, 1)


def channels_back(y: torch.Tensor, data_format: str) -> torch.Tensor:
    """The inverse of `channels_first` (free on a channels_last result)."""
    if data_format == "channels_first":
        return y
    return y.movedim(1, -1)
