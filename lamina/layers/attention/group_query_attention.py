"""`GroupQueryAttention`: attention whose key/value heads are shared by
groups of query heads (Ainslie et al., 2023)."""

from __future__ import annotations

import math
from typing import Any

import torch

from lamina import config as lamina_config
from lamina import constraints, initializers, regularizers
from lamina.engine import shape_inference
from lamina.engine.layer import Layer
from lamina.layers.attention import attention_math as am
from lamina.layers.attention import gqa_checks as checks
from lamina.layers.attention import mha_masks as masks
from lamina.layers.attention.query_value_key_build import (
    QueryValueKeyBuild,
    unmasked,
)
from lamina.layers.core.einsum_dense import EinsumDense
from lamina.layers.regularization.dropout import Dropout
from lamina.ops.nn_attention import dot_product_attention
from lamina.typing import ConstraintLike, InitializerLike, RegularizerLike

# Projections and attention, in Keras's letters: b batch, q/k query and
# key positions, m model dim, u query heads, v key/value heads, h head dim.
_PROJECTIONS = (
    ("query", "bqm,muh->bquh", "uh"),
    ("key", "bkm,mvh->bkvh", "vh"),
    ("gate", "bqm,muh->bquh", "uh"),
    ("value", "bkm,mvh->bkvh", "vh"),
)
_EQUATIONS = ("bkuh,bquh->buqk", "buqk,bkuh->bquh")
# get_config's entries, in Keras's order.
_PLAIN = (
    "head_dim num_query_heads num_key_value_heads use_bias use_gate "
    "sliding_window dropout"
).split()
_SERIALIZED = (
    ("kernel_initializer", initializers),
    ("bias_initializer", initializers),
    ("kernel_regularizer", regularizers),
    ("bias_regularizer", regularizers),
    ("activity_regularizer", regularizers),
    ("kernel_constraint", constraints),
    ("bias_constraint", constraints),
)


class GroupQueryAttention(QueryValueKeyBuild, Layer):
    """Grouped-query attention (Ainslie et al., 2023).

    `num_query_heads` query heads share `num_key_value_heads` key/value
    heads: each key/value head serves `num_query_heads //
    num_key_value_heads` consecutive query heads. One key/value head is
    multi-query attention; as many as query heads is multi-head attention.
    The sublayers and weights are Keras's: `query` `(dim, num_query_heads,
    head_dim)`, `key` and `value` `(dim, num_key_value_heads, head_dim)`,
    optional `gate`, and `attention_output` `(num_query_heads, head_dim,
    dim)`. Without dropout or returned scores the attention runs in
    torch's fused `scaled_dot_product_attention`.

    Args:
        head_dim: size of each attention head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key/value heads; must divide
            `num_query_heads`.
        dropout: dropout rate on the attention weights (in training).
        use_bias: whether the projections have biases.
        sliding_window: optional positive int: position `i` attends only to
            positions `j` with `|i - j| < sliding_window`.
        flash_attention: True requires torch's flash kernel (and refuses
            dropout and returned scores); None or False defers to
            `lamina.config.enable/disable_flash_attention`, as in Keras.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint,
            bias_constraint: those of the projections.
        use_gate: whether to gate the heads' outputs with a sigmoid
            projection of the query (sublayer `gate`).
        seed: optional integer seed of the dropout.

    Call arguments: those of `MultiHeadAttention`, with `(B, T, dim)`
    query, `(B, S, dim)` value and key, and scores of shape `(B,
    num_query_heads, T, S)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.GroupQueryAttention(4, 4, 2)
    >>> x = torch.ones(3, 5, 8)
    >>> out, scores = layer(x, x, return_attention_scores=True)
    >>> tuple(out.shape), tuple(scores.shape)
    ((3, 5, 8), (3, 4, 5, 5))
    >>> [tuple(w.shape) for w in layer.weights[:4]]
    [(8, 4, 4), (4, 4), (8, 2, 4), (2, 4)]
    """

    def __init__(
        self,
        head_dim: int,
        num_query_heads: int,
        num_key_value_heads: int,
        dropout: float = 0.0,
        use_bias: bool = True,
        sliding_window: int | None = None,
        flash_attention: bool | None = None,
        kernel_initializer: InitializerLike = "glorot_uniform",
        bias_initializer: InitializerLike = "zeros",
        kernel_regularizer: RegularizerLike = None,
        bias_regularizer: RegularizerLike = None,
        activity_regularizer: RegularizerLike = None,
        kernel_constraint: ConstraintLike = None,
        bias_constraint: ConstraintLike = None,
        use_gate: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        checks.check_heads(num_query_heads, num_key_value_heads)
        self.head_dim = checks.positive_int("head_dim", head_dim)
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        if sliding_window is not None:
            checks.positive_int("sliding_window", sliding_window)
        self.sliding_window = self._sliding_window = sliding_window
        self.dropout, self.use_bias, self.use_gate = dropout, use_bias, use_gate
        # Keras's rule: False, like None, defers to the global switch.
        self._flash_attention = (
            flash_attention or lamina_config.is_flash_attention_enabled()
        )
        checks.check_flash_dropout(self._flash_attention, dropout)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._scale = 1.0 / math.sqrt(float(self.head_dim))

    def build(
        self, query_shape: Any, value_shape: Any, key_shape: tuple | None = None
    ) -> None:
        self.record_build_shapes(query_shape, value_shape, key_shape)
        key_shape = value_shape if key_shape is None else key_shape
        inputs = {"query": query_shape, "key": key_shape, "value": value_shape}
        inputs["gate"] = query_shape
        heads = {"u": self.num_query_heads, "v": self.num_key_value_heads}
        # Created in Keras's order, which is the order of the weights.
        for name, equation, bias_axes in _PROJECTIONS:
            if name == "gate" and not self.use_gate:
                continue
            dense = self._dense(
                name,
                equation,
                (None, heads[bias_axes[0]], self.head_dim),
                bias_axes,
                activation="sigmoid" if name == "gate" else None,
            )
            dense.build(inputs[name])
            setattr(self, f"_{name}_dense", dense)
        self._output_dense = self._dense(
            "attention_output", "bquh,uhm->bqm", (None, query_shape[-1]), "m"
        )
        self._output_dense.build(
            (None, None, self.num_query_heads, self.head_dim)
        )
        self._dropout_layer = Dropout(
            self.dropout, seed=self.seed, dtype=self.dtype_policy
        )

    def _dense(self, name, equation, output_shape, bias_axes, **extra):
        return EinsumDense(
            equation,
            output_shape=output_shape,
            bias_axes=bias_axes if self.use_bias else None,
            name=name,
            dtype=self.dtype_policy,
            **{key: getattr(self, key) for key, _ in _SERIALIZED[2:]},
            kernel_initializer=_fresh(self.kernel_initializer),
            bias_initializer=_fresh(self.bias_initializer),
            **extra,
        )

    def call(
        self,
        query: Any,
        value: Any,
        key: Any = None,
        query_mask: Any = None,
        value_mask: Any = None,
        key_mask: Any = None,
        attention_mask: Any = None,
        return_attention_scores: bool = False,
        training: bool | None = None,
        use_causal_mask: bool = False,
    ) -> Any:
        checks.check_scores_allowed(self, return_attention_scores)
        given = dict(query_mask=query_mask, value_mask=value_mask)
        given.update(key_mask=key_mask, attention_mask=attention_mask)
        mask, causal_only = masks.for_call(
            self, query, value, key, given, use_causal_mask
        )
        key = value if key is None else key
        gate = self._gate_dense(unmasked(query)) if self.use_gate else None
        query = self._query_dense(unmasked(query))
        key = self._key_dense(unmasked(key))
        value = self._value_dense(unmasked(value))
        if mask is not None:
            mask = am.align_mask(mask, 4, 1)
        if self.dropout == 0.0 and not return_attention_scores:
            flash = self._flash_attention
            out, scores = (
                dot_product_attention(
                    query,
                    key,
                    value,
                    None,
                    mask,
                    self._scale,
                    causal_only,
                    flash,
                ),
                None,
            )
        else:
            out, scores = self._explicit_attention(
                query, key, value, mask, causal_only, training
            )
        out = self._output_dense(out if gate is None else out * gate)
        return (out, scores) if return_attention_scores else out

    def _explicit_attention(self, query, key, value, mask, causal, training):
        """Einsum/softmax attention over key/value heads repeated to the
        query heads: returns `(output, scores)`."""
        if causal:
            mask = am.align_mask(masks.band(self, query, value), 4, 1)
        key = torch.repeat_interleave(key, self.num_repeats, dim=2)
        value = torch.repeat_interleave(value, self.num_repeats, dim=2)
        drop = None
        if training and self.dropout > 0:
            drop = lambda p: self._dropout_layer(p, training=True)  # noqa: E731
        return am.einsum_attention(
            query, key, value, mask, self._scale, _EQUATIONS, 1, drop
        )

    def compute_output_shape(
        self, query_shape: Any, value_shape: Any, key_shape: tuple | None = None
    ) -> tuple:
        key_shape = value_shape if key_shape is None else key_shape
        checks.check_input_shapes(query_shape, value_shape, key_shape)
        return tuple(query_shape)

    def compute_output_spec(
        self, query: Any, value: Any, key: Any = None, **kwargs: Any
    ) -> Any:
        self.compute_output_shape(
            query.shape, value.shape, None if key is None else key.shape
        )
        return shape_inference.compute_output_spec(
            self.__call__, (query, value, key), kwargs, owner=self
        )

    def get_config(self) -> dict:
        config = {key: getattr(self, key) for key in _PLAIN}
        for key, module in _SERIALIZED:
            config[key] = module.serialize(getattr(self, key))
        return {**super().get_config(), **config, "seed": self.seed}


def _fresh(initializer):
    # One instance per projection (as Keras does), so that unseeded
    # initializers draw different kernels.
    return type(initializer).from_config(initializer.get_config())
