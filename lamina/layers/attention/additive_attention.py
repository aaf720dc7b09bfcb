"""`AdditiveAttention`: Bahdanau-style attention."""

from __future__ import annotations

from typing import Any

import torch

from lamina.layers.attention.base_attention import BaseDenseAttention


class AdditiveAttention(BaseDenseAttention):
    """Additive attention layer, a.k.a. Bahdanau-style attention.

    Called on `[query, value]` or `[query, value, key]` (`key` defaults to
    `value`): the scores `sum(scale * tanh(query + key))` over the feature
    axis, `(batch_size, Tq, Tv)`, go through a softmax over `Tv`, and the
    output is the weighted sum of the values, `(batch_size, Tq, dim_v)`.

    Args:
        use_scale: if True, `scale` is a learned vector of shape `(dim,)`
            (initialized `glorot_uniform`); otherwise 1.
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
    >>> layer = lamina.layers.AdditiveAttention()
    >>> layer([torch.ones(2, 3, 4), torch.ones(2, 5, 4)]).shape
    torch.Size([2, 3, 4])
    >>> tuple(layer.scale.shape)
    (4,)
    """

    def __init__(
        self, use_scale: bool = True, dropout: float = 0.0, **kwargs: Any
    ):
        # `seed` travels in kwargs to Attention, as in Keras's signature.
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def _build_scores(self, query_shape, key_shape):
        self.scale = (
            self.add_weight(
                name="scale",
                shape=(query_shape[-1],),
                initializer="glorot_uniform",
            )
            if self.use_scale
            else None
        )

    def _calculate_scores(self, query, key):
        # (batch, Tq, 1, dim) + (batch, 1, Tv, dim): every query-key pair.
        features = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))
        if self.scale is not None:
            features = self.scale * features
        return features.sum(dim=-1)
