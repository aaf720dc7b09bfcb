"""`MultiHeadAttention`: scaled dot-product attention over learned
projections, split into several heads."""

from __future__ import annotations

import math
from typing import Any, Sequence

import torch

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.engine import shape_inference
from lamina.engine.layer import Layer
from lamina.engine.layer import specs_from_shapes
from lamina.layers.attention import attention_math as am
from lamina.layers.attention import mha_checks as checks
from lamina.layers.attention import mha_masks as masks
from lamina.layers.attention.query_value_key_build import QueryValueKeyBuild
from lamina.layers.attention.query_value_key_build import unmasked
from lamina.layers.core.einsum_dense import EinsumDense
from lamina.layers.regularization.base_random import check_fraction
from lamina.layers.regularization.dropout import Dropout
from lamina.typing import ConstraintLike, InitializerLike, RegularizerLike


class MultiHeadAttention(QueryValueKeyBuild, Layer):
    """Multi-head attention, as in "Attention is all you Need" (Vaswani et
    al., 2017).

    `query`, `key` and `value` are projected by `EinsumDense` sublayers
    (`query_dense`, `key_dense`, `value_dense`; kernels `(dim, num_heads,
    key_dim)` or `(dim, num_heads, value_dim)`) into `num_heads` heads.
    Each query position attends to the key positions with softmax weights
    of the dot products scaled by `1 / sqrt(key_dim)`, and the heads'
    results are projected back by `output_dense` (kernel `(num_heads,
    value_dim, *output_shape)`). With one attention axis, no dropout and
    no scores to return, the attention is torch's fused
    `scaled_dot_product_attention`; otherwise an explicit einsum/softmax.
    Both give the same numbers, except on a query row whose keys are all
    masked: uniform weights on the fused path, zeros on the other, as in
    Keras.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value; defaults to `key_dim`.
        dropout: dropout rate on the attention weights (in training).
        use_bias: whether the projections have biases.
        output_shape: the output's sizes after the batch and attention
            axes (an int or a tuple); defaults to the query's last size.
        attention_axes: the input axes attended over; defaults to every
            axis but the batch and feature ones.
        sliding_window: optional positive int: position `i` attends only to
            positions `j` with `|i - j| < sliding_window`.
        flash_attention: Keras's switch, kept for compatibility: when True,
            dropout and returned scores are refused (torch picks its fused
            kernel itself).
        kernel_initializer, bias_initializer: the projections' initializers.
        kernel_regularizer, bias_regularizer, activity_regularizer:
            optional regularizers of the projections.
        kernel_constraint, bias_constraint: optional constraints.
        use_gate: whether to gate the heads' outputs with a sigmoid
            projection of the query (sublayer `gate`).
        seed: optional integer seed of the dropout.

    Call arguments:
        query: `(B, T, dim)` tensor (more attention axes allowed).
        value: `(B, S, dim)` tensor.
        key: optional `(B, S, dim)` tensor; defaults to `value`.
        query_mask, value_mask, key_mask: optional `(B, T)` or `(B, S)`
            masks; default to the inputs' own masks (from `Masking` or
            `Embedding(mask_zero=True)`).
        attention_mask: optional boolean `(B, T, S)` mask, True where query
            `t` may attend to key `s`; the batch axis may be left out.
        return_attention_scores: whether to return `(output, scores)`, the
            scores of shape `(B, num_heads, T, S)`.
        training: whether to apply dropout.
        use_causal_mask: whether position `t` attends only to `s <= t`.

    Output shape:
        `(B, T, dim)`, or `(B, T, *output_shape)`; its mask is the query's.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    >>> query, value = torch.ones(3, 5, 8), torch.ones(3, 7, 8)
    >>> out, scores = layer(query, value, return_attention_scores=True)
    >>> tuple(out.shape), tuple(scores.shape)
    ((3, 5, 8), (3, 2, 5, 7))
    >>> [w.shape for w in layer.get_weights()][:2]
    [(8, 2, 4), (2, 4)]
    """

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape: int | tuple[int, ...] | None = None,
        attention_axes: int | Sequence[int] | None = None,
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
        self._num_heads = checks.positive_int("num_heads", num_heads)
        self._key_dim = checks.positive_int("key_dim", key_dim)
        self._value_dim = (
            self._key_dim
            if value_dim is None
            else checks.positive_int("value_dim", value_dim)
        )
        self._dropout = check_fraction(type(self).__name__, "dropout", dropout)
        self._use_bias, self._use_gate = use_bias, use_gate
        self._output_shape = checks.standardize_output_shape(output_shape)
        # Normalized to a tuple of non-negative axes by `build`.
        self._attention_axes: Any = (
            (attention_axes,)
            if isinstance(attention_axes, int)
            else attention_axes
        )
        self._sliding_window = (
            None
            if sliding_window is None
            else checks.positive_int("sliding_window", sliding_window)
        )
        self._flash_attention = bool(flash_attention)
        if self._flash_attention and self._dropout > 0:
            raise ValueError(
                "MultiHeadAttention: dropout is not supported when flash "
                f"attention is enabled. Received: dropout={dropout}, "
                "flash_attention=True"
            )
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._scale = 1.0 / math.sqrt(float(self._key_dim))
        self.supports_masking = True

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    def build(
        self,
        query_shape: Sequence[int | None],
        value_shape: Sequence[int | None],
        key_shape: Sequence[int | None] | None = None,
    ) -> None:
        self.record_build_shapes(query_shape, value_shape, key_shape)
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        checks.check_input_shapes(self, query_shape, value_shape, key_shape)
        self._attention_axes = checks.normalize_attention_axes(
            self, self._attention_axes, len(query_shape)
        )
        checks.check_batch_axes(self, query_shape, value_shape)
        heads_k = (self._num_heads, self._key_dim)
        heads_v = (self._num_heads, self._value_dim)
        # Created in Keras's order, which is the order of the weights.
        self.query_dense = self._projection("query", query_shape, heads_k)
        self.key_dense = self._projection("key", key_shape, heads_k)
        if self._use_gate:
            self._gate_dense = self._projection(
                "gate", query_shape, heads_v, activation="sigmoid"
            )
        self.value_dense = self._projection("value", value_shape, heads_v)
        self.output_dense = self._projection(
            "attention_output",
            query_shape[:-1] + heads_v,
            self._output_shape or (query_shape[-1],),
            bound_dims=2,
        )
        dot, combine, self._scores_rank = am.attention_equations(
            len(query_shape) + 1, self._attention_axes
        )
        self._equations = (dot, combine)
        self._dropout_layer = Dropout(
            self._dropout, seed=self.seed, dtype=self.dtype_policy
        )

    def _projection(
        self, name, input_shape, dims, bound_dims=1, **extra
    ) -> EinsumDense:
        """A built `EinsumDense` from `input_shape` to
        `input_shape[:-bound_dims] + dims`, with Keras's equation."""
        equation, bias_axes, rank = am.projection_equation(
            len(input_shape) - bound_dims, bound_dims, len(dims)
        )
        layer = EinsumDense(
            equation,
            output_shape=[None] * (rank - 1 - len(dims)) + list(dims),
            bias_axes=bias_axes if self._use_bias else None,
            name=name,
            kernel_initializer=_clone(self._kernel_initializer),
            bias_initializer=_clone(self._bias_initializer),
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._activity_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint,
            dtype=self.dtype_policy,
            **extra,
        )
        layer.build(input_shape)
        return layer

    def call(
        self,
        query: torch.Tensor,
        value: torch.Tensor,
        key: torch.Tensor | None = None,
        query_mask: torch.Tensor | None = None,
        value_mask: torch.Tensor | None = None,
        key_mask: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        return_attention_scores: bool = False,
        training: bool | None = None,
        use_causal_mask: bool = False,
    ) -> Any:
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"Layer '{self.name}' (MultiHeadAttention): attention scores "
                "cannot be returned when flash attention is enabled. "
                "Received: return_attention_scores=True"
            )
        given = dict(query_mask=query_mask, value_mask=value_mask)
        given.update(key_mask=key_mask, attention_mask=attention_mask)
        # Causal alone runs torch's causal kernel, with no mask tensor.
        mask, causal_only = masks.for_call(
            self, query, value, key, given, use_causal_mask
        )
        key = value if key is None else key
        gate = self._gate_dense(unmasked(query)) if self._use_gate else None
        out, scores = self._compute_attention(
            self.query_dense(unmasked(query)),
            self.key_dense(unmasked(key)),
            self.value_dense(unmasked(value)),
            mask,
            training,
            return_attention_scores,
            causal_only,
        )
        out = self.output_dense(out if gate is None else out * gate)
        return (out, scores) if return_attention_scores else out

    def _compute_attention(
        self,
        query,
        key,
        value,
        mask,
        training,
        return_attention_scores,
        causal_only,
    ):
        num_axes = len(self._attention_axes)
        # Keras's choice of path: dropout (even inactive) or returned
        # scores take the explicit one.
        fused = (
            self._dropout == 0
            and not return_attention_scores
            and self._attention_axes == (1,)
            and query.ndim == 4
        )
        if causal_only and not fused:
            mask = masks.band(self, query, value)
        if mask is not None:
            mask = am.align_mask(mask, self._scores_rank, num_axes)
        if fused:
            return am.fused_attention(
                query, key, value, mask, self._scale, causal_only
            ), None
        drop = (
            (lambda p: self._dropout_layer(p, training=True))
            if (training and self._dropout > 0)
            else None
        )
        return am.einsum_attention(
            query,
            key,
            value,
            mask,
            self._scale,
            self._equations,
            num_axes,
            drop,
        )

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        # Always traced: `compute_output_shape` takes Keras's three shapes,
        # not the single one the base class would hand it.
        return shape_inference.compute_output_spec(
            self.__call__, args, kwargs, owner=self
        )

    def compute_output_shape(
        self,
        query_shape: Sequence[int | None],
        value_shape: Sequence[int | None],
        key_shape: Sequence[int | None] | None = None,
    ) -> Any:
        if not self.built:
            self.build(query_shape, value_shape, key_shape)
        specs = [
            None if s is None else specs_from_shapes(s, self.compute_dtype)
            for s in (query_shape, value_shape, key_shape)
        ]
        return self.compute_output_spec(*specs).shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "seed": self.seed,
            **{
                f"{kind}_{what}": module.serialize(
                    getattr(self, f"_{kind}_{what}")
                )
                for what, module in (
                    ("initializer", initializers),
                    ("regularizer", regularizers),
                    ("constraint", constraints),
                )
                for kind in ("kernel", "bias")
            },
            "activity_regularizer": regularizers.serialize(
                self._activity_regularizer
            ),
        }

    def extra_repr(self) -> str:
        return (
            f"num_heads={self._num_heads}, key_dim={self._key_dim}, "
            f"value_dim={self._value_dim}, dropout={self._dropout}"
        )


def _clone(initializer):
    # A fresh initializer per projection (as Keras does), so unseeded ones
    # draw different kernels.
    return initializer.clone() if hasattr(initializer, "clone") else initializer
