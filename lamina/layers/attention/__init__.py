"""Attention layers. Each file holds one layer; this module lists them in
`__all__`, which `lamina.layers` re-exports."""

from lamina.layers.attention.additive_attention import (
    AdditiveAttention as AdditiveAttention,
)
from lamina.layers.attention.attention import Attention as Attention
from lamina.layers.attention.group_query_attention import (
    GroupQueryAttention as GroupQueryAttention,
)
from lamina.layers.attention.multi_head_attention import (
    MultiHeadAttention as MultiHeadAttention,
)

__all__ = [
    "AdditiveAttention",
    "Attention",
    "GroupQueryAttention",
    "MultiHeadAttention",
]
