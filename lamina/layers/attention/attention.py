"""`Attention`: dot-product (Luong-style) attention."""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import invalid_argument
from lamina.layers.attention.base_attention import BaseDenseAttention


class Attention(BaseDenseAttention):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    Called on `[query, value]` or `[query, value, key]` (`key` defaults to
    `value`): scores `(batch_size, Tq, Tv)` compare each query with each
    key, a softmax over `Tv` turns them into weights, and the output is
    the weighted sum of the values, `(batch_size, Tq, dim)`.

    Args:
        use_scale: if True, the scores are multiplied by a learned scalar
            `scale` (initialized to 1).
        score_mode: `"dot"` (the query-key dot product) or `"concat"`
            (`concat_score_weight * sum(tanh(query + key))`, with a learned
            scalar initialized to 1).
        dropout: fraction of the attention weights to drop in training.
        seed: optional integer seed of the dropout.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`: tensors of
            shapes `(batch_size, Tq, dim)`, `(batch_size, Tv, dim_v)` and
            `(batch_size, Tv, dim)`.
        mask: `[query_mask, value_mask]`, boolean `(batch_size, Tq)` and
            `(batch_size, Tv)`; default to the inputs' own masks. Masked
            values get no weight; masked queries give zero outputs.
        training: whether to apply dropout.
        return_attention_scores: whether to also return the attention
            weights (after masking, softmax and dropout).
        use_causal_mask: whether query `i` only attends to values `j <= i`.

    Output shape:
        `(batch_size, Tq, dim_v)`, and optionally the scores
        `(batch_size, Tq, Tv)`. The output's mask is the query's.

    Example:

    >>> import torch, lamina
    >>> query, value = torch.ones(2, 3, 4), torch.ones(2, 5, 4)
    >>> out, scores = lamina.layers.Attention()(
    ...     [query, value], return_attention_scores=True)
    >>> tuple(out.shape), tuple(scores.shape)
    ((2, 3, 4), (2, 3, 5))
    """

    def __init__(
        self,
        use_scale: bool = False,
        score_mode: str = "dot",
        dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            use_scale=use_scale, dropout=dropout, seed=seed, **kwargs
        )
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                invalid_argument(
                    "Attention",
                    "score_mode",
                    "one of {'dot', 'concat'}",
                    score_mode,
                )
            )
        self.score_mode = score_mode

    def _build_scores(self, query_shape, key_shape):
        self.scale = (
            self.add_weight(
                name="scale",
                shape=(),
                initializer="ones",
            )
            if self.use_scale
            else None
        )
        self.concat_score_weight: Any = (
            self.add_weight(
                name="concat_score_weight",
                shape=(),
                initializer="ones",
            )
            if self.score_mode == "concat"
            else None
        )

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = torch.matmul(query, key.transpose(-2, -1))
            return scores if self.scale is None else scores * self.scale
        # (batch, Tq, 1, dim) + (batch, 1, Tv, dim): every query-key pair.
        pairs = query.unsqueeze(-2) + key.unsqueeze(-3)
        if self.scale is not None:
            pairs = self.scale * pairs
        return self.concat_score_weight * torch.tanh(pairs).sum(dim=-1)

    def get_config(self) -> dict:
        return {**super().get_config(), "score_mode": self.score_mode}
