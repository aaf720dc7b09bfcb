"""The argument and shape checks of `MultiHeadAttention`: every error
names the layer, what it expected and what it received, instead of a
torch einsum error from deep inside."""

from __future__ import annotations

from typing import Any

import numbers

from lamina.errors import format_shape
from lamina.errors import invalid_argument

_NAME = "MultiHeadAttention"


def _owner(layer) -> str:
    return f"Layer '{layer.name}' ({_NAME})"


def positive_int(arg: str, value: Any) -> int:
    """`value` as an int, or a ValueError naming the argument."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or value <= 0
    ):
        raise ValueError(
            invalid_argument(_NAME, arg, "a positive integer", value)
        )
    return int(value)


def standardize_output_shape(output_shape: Any) -> Any:
    """`output_shape` as a tuple of positive ints (None stays None)."""
    if output_shape is None:
        return None
    dims = (
        (output_shape,)
        if isinstance(output_shape, numbers.Integral)
        else output_shape
    )
    try:
        dims = tuple(dims)
    except TypeError:
        dims = None
    if not dims or any(
        isinstance(d, bool) or not isinstance(d, numbers.Integral) or d <= 0
        for d in dims
    ):
        raise ValueError(
            invalid_argument(
                _NAME,
                "output_shape",
                "a positive integer or a tuple of them",
                output_shape,
            )
        )
    return tuple(int(d) for d in dims)


def normalize_attention_axes(layer: Any, axes: Any, rank: int) -> tuple:
    """`attention_axes` as non-negative input axes; all but the batch and
    feature axes when None. Negative axes count from the input's end."""
    if axes is None:
        return tuple(range(1, rank - 1))
    valid = isinstance(axes, (list, tuple)) and all(
        isinstance(a, numbers.Integral) and not isinstance(a, bool)
        for a in axes
    )
    normalized = (
        tuple(int(a) + rank if a < 0 else int(a) for a in axes) if valid else ()
    )
    if (
        not normalized
        or len(set(normalized)) != len(normalized)
        or any(not 1 <= a <= rank - 2 for a in normalized)
    ):
        raise ValueError(
            f"{_owner(layer)}: `attention_axes` must be an int or a tuple "
            "of distinct axes of the inputs, other than the batch axis (0) "
            f"and the feature axis ({rank - 1}), for inputs of rank {rank}. "
            f"Received: attention_axes={axes!r}"
        )
    return normalized


def check_input_shapes(
    layer: Any, query_shape: tuple, value_shape: tuple, key_shape: tuple
) -> None:
    """Ranks, feature sizes and shared axes that the projections and the
    attention einsums need."""
    received = (
        f"Received: query_shape={format_shape(query_shape)}, "
        f"value_shape={format_shape(value_shape)}, "
        f"key_shape={format_shape(key_shape)}"
    )
    if len(query_shape) < 3:
        raise ValueError(
            f"{_owner(layer)}: inputs need a batch axis, at least one "
            f"attention axis and a feature axis (rank >= 3). {received}"
        )
    if value_shape[1:-1] != key_shape[1:-1]:
        raise ValueError(
            f"{_owner(layer)}: all dimensions of `value` and `key`, except "
            f"the last one, must be equal. {received}"
        )
    if len(value_shape) != len(query_shape):
        raise ValueError(
            f"{_owner(layer)}: `query` and `value` must have the same rank. "
            f"{received}"
        )
    if None in (query_shape[-1], value_shape[-1], key_shape[-1]):
        raise ValueError(
            f"{_owner(layer)}: the last (feature) dimension of `query`, "
            f"`value` and `key` must be known. {received}"
        )


def check_batch_axes(
    layer: Any, query_shape: tuple, value_shape: tuple
) -> None:
    """Axes other than the attention and feature ones are shared batch
    axes: `query` and `value` must agree on them."""
    for i in range(1, len(query_shape) - 1):
        q, v = query_shape[i], value_shape[i]
        if i not in layer.attention_axes and None not in (q, v) and q != v:
            raise ValueError(
                f"{_owner(layer)}: axis {i} is not an attention axis "
                f"(attention_axes={layer.attention_axes}), so `query` and "
                "`value` must have the same size on it. Received: "
                f"query_shape={format_shape(query_shape)}, "
                f"value_shape={format_shape(value_shape)}"
            )
