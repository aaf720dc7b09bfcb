"""`ReversibleEmbedding`: an `Embedding` that can also project hidden
states back to vocabulary logits."""

from __future__ import annotations

from typing import Any

import torch

from lamina.quantization.reversible_embedding import REVERSIBLE_EMBEDDING
from lamina.errors import invalid_argument
from lamina.layers.core.embedding import Embedding
from lamina.utils.dtype_utils import standardize_dtype, to_torch_dtype
from lamina.typing import ConstraintLike, InitializerLike, RegularizerLike


class ReversibleEmbedding(Embedding):
    """An embedding layer which can project backwards to the input dim.

    Called as usual it looks up embeddings, as `Embedding` does. Called
    with `reverse=True` it maps hidden states of size `output_dim` to
    `input_dim` logits: by default through the transposed `embeddings`
    (tied weights, as in most language models); with `tie_weights=False`
    through a separate trainable `reverse_embeddings` matrix of shape
    `(output_dim, input_dim)`. The layer has no bias.

    `layer.quantize("int8" | "int4")` quantizes the table and, when
    untied, the reverse weights (`lamina/quantization/`).

    Args:
        input_dim: size of the vocabulary, i.e. maximum integer index + 1.
        output_dim: dimension of the dense embedding.
        tie_weights: whether the reverse projection uses the embedding
            matrix (True) or its own weight (False).
        embeddings_initializer: initializer for the `embeddings` matrix
            (and `reverse_embeddings`, when untied).
        embeddings_regularizer: regularizer for the `embeddings` matrix.
        embeddings_constraint: constraint for the `embeddings` matrix.
        mask_zero: whether index 0 is a padding value to mask out (the
            forward call only).
        reverse_dtype: the dtype of the reverse projection; defaults to
            the layer's compute dtype.
        logit_soft_cap: if set, reverse logits become
            `tanh(logits / logit_soft_cap) * logit_soft_cap`.
        **kwargs: `Embedding` and base layer arguments (`name`, `dtype`).

    Call arguments:
        inputs: integer indices, or hidden states when `reverse=True`.
        reverse: whether to project from `output_dim` to `input_dim`.

    Example:

    >>> import torch, lamina
    >>> embedding = lamina.layers.ReversibleEmbedding(100, 8)
    >>> hidden = embedding(torch.randint(0, 100, (2, 5)))
    >>> hidden.shape
    torch.Size([2, 5, 8])
    >>> embedding(hidden, reverse=True).shape
    torch.Size([2, 5, 100])

    References:
    - [Vaswani et al., 2017](https://arxiv.org/abs/1706.03762)
    - [Press and Wolf, 2016](https://arxiv.org/abs/1608.05859)
    """

    _quantization_handler = REVERSIBLE_EMBEDDING

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        tie_weights: bool = True,
        embeddings_initializer: InitializerLike = "uniform",
        embeddings_regularizer: RegularizerLike = None,
        embeddings_constraint: ConstraintLike = None,
        mask_zero: bool = False,
        reverse_dtype: Any = None,
        logit_soft_cap: Any = None,
        **kwargs: Any,
    ):
        if logit_soft_cap is not None and (
            isinstance(logit_soft_cap, bool)
            or not isinstance(logit_soft_cap, (int, float))
            or logit_soft_cap <= 0
        ):
            raise ValueError(
                invalid_argument(
                    "ReversibleEmbedding",
                    "logit_soft_cap",
                    "None or a positive number",
                    logit_soft_cap,
                )
            )
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = tie_weights
        self.reverse_dtype = (
            None if reverse_dtype is None else standardize_dtype(reverse_dtype)
        )
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
                name="reverse_embeddings",
                trainable=True,
            )

    def call(self, inputs: torch.Tensor, reverse: bool = False) -> torch.Tensor:
        if not reverse:
            outputs = super().call(inputs)
            if self.mask_zero:
                # `compute_mask` is None (reverse calls have no mask), so
                # the forward call attaches its own, as Keras's does.
                setattr(outputs, "_keras_mask", inputs != 0)
            return outputs
        kernel = (
            self.embeddings.T if self.tie_weights else self.reverse_embeddings
        )
        dtype = (
            self._compute_torch_dtype
            if self.reverse_dtype is None
            else to_torch_dtype(self.reverse_dtype)
        )
        if self.reverse_dtype is not None or inputs.dtype != kernel.dtype:
            inputs, kernel = inputs.to(dtype), kernel.to(dtype)
        logits = torch.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            cap = self.logit_soft_cap
            logits = torch.tanh(logits / cap) * cap
        return logits

    def compute_mask(
        self, inputs: torch.Tensor, mask: torch.Tensor | None = None
    ) -> Any:
        return None

    def compute_output_shape(
        self, input_shape: Any, reverse: bool = False
    ) -> Any:
        shape = list(input_shape)
        if reverse:
            shape[-1] = self.input_dim
        else:
            shape.append(self.output_dim)
        return tuple(shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "tie_weights": self.tie_weights,
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        }
