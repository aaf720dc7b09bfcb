"""`BaseDenseAttention`: the shared logic of `Attention` and
`AdditiveAttention`.

Both are called on `[query, value]` or `[query, value, key]` and differ
only in their scores (`_calculate_scores`) and weights (`_build_scores`).
Here live the input checks, the masks (value mask and causal mask on the
scores, query mask on the output), softmax, dropout and the config.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.layer import Layer
from lamina.errors import format_shape
from lamina.errors import format_value
from lamina.layers.regularization.base_random import check_fraction
from lamina.layers.regularization.dropout import Dropout


class BaseDenseAttention(Layer):
    """Base class of the attention layers without projections.

    Subclasses implement `_build_scores(query_shape, key_shape)` (create
    the weights) and `_calculate_scores(query, key)`, which returns
    `(batch_size, Tq, Tv)` scores.

    Args:
        use_scale: whether the scores are scaled by a learned weight.
        dropout: fraction of the attention weights to drop in training.
        seed: optional integer seed of the dropout.
    """

    def __init__(
        self,
        use_scale: bool = False,
        dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.dropout = check_fraction(type(self).__name__, "dropout", dropout)
        self.seed = seed
        if self.dropout > 0:
            self._dropout_layer = Dropout(
                self.dropout, seed=seed, dtype=self.dtype_policy
            )
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        shapes = self._check_inputs(input_shape, shapes=True)
        query_shape, key_shape = shapes[0], shapes[-1]
        if (
            None not in (query_shape[-1], key_shape[-1])
            and query_shape[-1] != key_shape[-1]
        ):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): the last "
                "dimension of `query` must equal that of `key` (of `value` "
                f"when no key is given). Received: query_shape="
                f"{format_shape(query_shape)}, "
                f"{'key' if len(shapes) == 3 else 'value'}_shape="
                f"{format_shape(key_shape)}"
            )
        self._build_scores(query_shape, key_shape)

    def _build_scores(self, query_shape: tuple, key_shape: tuple) -> None:
        """Create the weights of `_calculate_scores` (override)."""

    def _calculate_scores(self, query, key) -> torch.Tensor:
        raise NotImplementedError

    def call(
        self,
        inputs: Any,
        mask: torch.Tensor | None = None,
        training: bool = False,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ) -> Any:
        self._check_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask, value_mask = (mask[0], mask[1]) if mask else (None, None)
        scores = self._calculate_scores(query, key)
        keep = (
            None
            if value_mask is None
            else _as_bool(value_mask, scores).unsqueeze(-2)
        )
        if use_causal_mask:
            causal = torch.ones(
                scores.shape[-2:], dtype=torch.bool, device=scores.device
            ).tril()
            keep = causal if keep is None else keep & causal
        if keep is not None:
            # A subtracted bias rather than a replaced score: Keras's rule,
            # so a fully masked row gives the same (uniform) weights.
            big = 65504.0 if scores.dtype == torch.float16 else 1.0e9
            scores = torch.where(keep, scores, scores - big)
        weights = torch.softmax(scores, dim=-1)
        if training and self.dropout > 0:
            weights = self._dropout_layer(weights, training=True)
        output = torch.matmul(weights, value)
        if query_mask is not None:
            output = torch.where(
                _as_bool(query_mask, output).unsqueeze(-1), output, 0.0
            )
        return (output, weights) if return_attention_scores else output

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        outputs = super().__call__(*args, **kwargs)
        if kwargs.get("return_attention_scores"):
            # The query's mask belongs to the output only (as in Keras).
            outputs[1]._keras_mask = None
        return outputs

    def compute_mask(
        self, inputs: torch.Tensor, mask: torch.Tensor | None = None
    ) -> Any:
        self._check_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return torch.as_tensor(mask[0])

    def _check_inputs(self, inputs, mask=None, shapes=False):
        """`inputs` (or their shapes) as a list of 2 or 3, and `mask` as
        None or a list of 2 or 3 (one per input, entries may be None)."""
        owner = f"Layer '{self.name}' ({type(self).__name__})"
        what = "input_shape" if shapes else "inputs"
        single = not isinstance(inputs, (list, tuple)) or (
            shapes and (not inputs or not isinstance(inputs[0], (list, tuple)))
        )
        if single:
            raise ValueError(
                f"{owner} must be called on a list of inputs, namely "
                f"[query, value] or [query, value, key]. Received: {what}="
                f"{format_value(inputs)}"
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{owner} accepts a list of 2 or 3 inputs, namely [query, "
                f"value] or [query, value, key]. Received: {len(inputs)} "
                f"inputs"
            )
        if mask is not None and (
            not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3
        ):
            raise ValueError(
                f"{owner}: `mask` must be a list of 2 or 3 masks, namely "
                f"[query_mask, value_mask]. Received: mask="
                f"{format_value(mask)}"
            )
        return [tuple(s) for s in inputs] if shapes else list(inputs)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "use_scale": self.use_scale,
            "dropout": self.dropout,
            "seed": self.seed,
        }

    def extra_repr(self) -> str:
        return f"use_scale={self.use_scale}, dropout={self.dropout}"


def _as_bool(mask, like: torch.Tensor) -> torch.Tensor:
    mask = torch.as_tensor(mask, device=like.device)
    return mask if mask.dtype == torch.bool else mask.bool()
