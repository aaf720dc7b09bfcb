"""The argument and shape checks of `GroupQueryAttention`, each error
naming the layer, the argument, what was expected and what was received."""

from __future__ import annotations

import numbers
from typing import Any

from lamina.errors import invalid_argument

_NAME = "GroupQueryAttention"


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


def check_heads(num_query_heads: int, num_key_value_heads: int) -> None:
    """Key/value heads must split the query heads into equal groups."""
    positive_int("num_query_heads", num_query_heads)
    positive_int("num_key_value_heads", num_key_value_heads)
    if num_query_heads % num_key_value_heads:
        raise ValueError(
            invalid_argument(
                _NAME,
                "num_key_value_heads",
                f"a divisor of num_query_heads={num_query_heads}",
                num_key_value_heads,
            )
        )


def check_flash_dropout(flash_attention: bool | None, dropout: float) -> None:
    """Torch's flash kernel has no dropout on the attention weights here
    (Keras refuses the pair too)."""
    if flash_attention and dropout > 0.0:
        raise ValueError(
            f"{_NAME}: dropout is not supported when flash attention is "
            f"enabled. Received: dropout={dropout}, flash_attention=True"
        )


def check_input_shapes(
    query_shape: tuple, value_shape: tuple, key_shape: tuple
) -> None:
    """Keras's rules: query and value end in the same size; key and value
    agree on every axis but the last."""
    if query_shape[-1] != value_shape[-1]:
        raise ValueError(
            f"{_NAME}: the last dimension of `query_shape` and "
            "`value_shape` must be equal. Received: "
            f"query_shape={query_shape}, value_shape={value_shape}"
        )
    if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
        raise ValueError(
            f"{_NAME}: all dimensions of `value` and `key`, except the last "
            f"one, must be equal. Received: value_shape={value_shape}, "
            f"key_shape={key_shape}"
        )


def check_scores_allowed(layer: Any, return_attention_scores: bool) -> None:
    """The fused kernel computes no scores to return."""
    if layer._flash_attention and return_attention_scores:
        raise ValueError(
            f"Layer '{layer.name}' ({_NAME}): attention scores cannot be "
            "returned when flash attention is enabled. "
            "Received: return_attention_scores=True"
        )
