"""`ReversibleEmbedding` quantized: the table as `Embedding`'s, plus (when
untied) `reverse_embeddings` `(output_dim, input_dim)` quantized per
column (int8, or int4 packed along `output_dim`, grouped along it with
`reverse_embeddings_zero` when a block size is set). The reverse call
quantizes its inputs per row (abs-max) unless the config says otherwise,
as Keras does.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.weights import remove_weight
from lamina.quantization import kernel_quantization as kq
from lamina.quantization.embedding import FILE_ORDER as EMBEDDING_ORDER
from lamina.quantization.embedding import EmbeddingQuantization
from lamina.quantization.int_matmul import int8_matmul
from lamina.quantizers.grouped import dequantize_with_sz_map
from lamina.quantizers.int4_packing import pack_int4, unpack_int4
from lamina.quantizers.quantization_config import QuantizationConfig
from lamina.quantizers.quantizer import AbsMaxQuantizer

REVERSE = ("reverse_embeddings", "reverse_embeddings_scale")


class ReversibleEmbeddingQuantization(EmbeddingQuantization):
    """The quantization handler of `ReversibleEmbedding`."""

    def file_order(self, layer: Any) -> list:
        mode = layer.quantization_mode
        names = EMBEDDING_ORDER[mode]
        if not layer.tie_weights:
            names += REVERSE + (
                ("reverse_embeddings_zero",) if mode == "int4" else ()
            )
        return [n for n in names if n in layer._weight_info]

    def quantize(self, layer: Any, mode: str, config: Any) -> None:
        reverse = None
        if mode in EMBEDDING_ORDER and not layer.tie_weights:
            reverse = _quantize_reverse(layer, mode, config)
        super().quantize(layer, mode, config)
        if reverse is not None:
            values, scale, zero = reverse
            kq.assign(
                layer, reverse_embeddings=values, reverse_embeddings_scale=scale
            )
            if zero is not None:
                kq.assign(layer, reverse_embeddings_zero=zero)

    def build(self, layer: Any, mode: str, config: Any) -> None:
        super().build(layer, mode, config)
        default = AbsMaxQuantizer(axis=-1)
        layer.inputs_quantizer = (
            QuantizationConfig.activation_quantizer_or_default(config, default)
        )
        if layer.tie_weights:
            return
        out_dim, in_dim = layer.reverse_embeddings.shape
        remove_weight(layer, "reverse_embeddings")
        rows = out_dim if mode == "int8" else (out_dim + 1) // 2
        kq.add_frozen(layer, "reverse_embeddings", (rows, in_dim), "int8")
        size = layer._int4_block_size if mode == "int4" else None
        shape = (
            (in_dim,) if size is None else (kq.n_groups(out_dim, size), in_dim)
        )
        kq.add_frozen(layer, "reverse_embeddings_scale", shape, init="ones")
        if size is not None:  # float32, as Keras makes it
            kq.add_frozen(layer, "reverse_embeddings_zero", shape)

    def call(
        self,
        layer: Any,
        inputs: Any,
        reverse: bool = False,
        *,
        training: bool | None = None,
    ) -> Any:
        if not reverse:
            outputs: Any = super().call(layer, inputs)  # gets a mask
            if layer.mask_zero:
                outputs._keras_mask = inputs != 0
            return outputs
        logits = _reverse_logits(layer, inputs, layer._compute_torch_dtype)
        if layer.logit_soft_cap is not None:
            cap = layer.logit_soft_cap
            logits = torch.tanh(logits / cap) * cap
        return logits


def _quantize_reverse(layer, mode: str, config: Any):
    weights = layer.reverse_embeddings.detach()
    if mode == "int8":
        values, scale = kq.quantize_per_channel(weights, config, 0, (-127, 127))
        return values, scale, None
    size = kq.block_size_of(layer, config)
    zero = None
    if size is None:
        values, scale = kq.quantize_per_channel(weights, config, 0, (-8, 7))
    else:
        values, scale, zero = kq.quantize_grouped(weights, size)
    return pack_int4(values, axis=0)[0], scale, zero


def _reverse_logits(layer, inputs, dtype):
    """`inputs @ kernel` descaled: the tied table transposed, or the
    reverse weights (Keras's reverse `_int8_call` / `_int4_call`)."""
    tied = layer.tie_weights
    kernel = layer.embeddings.t() if tied else layer.reverse_embeddings
    scale = layer.embeddings_scale if tied else layer.reverse_embeddings_scale
    if layer.inputs_quantizer:
        inputs, inputs_scale = layer.inputs_quantizer(inputs)
    else:
        inputs_scale = torch.ones((1,), dtype=dtype)
    size = None
    if layer.quantization_mode == "int4":
        kernel = unpack_int4(kernel, layer.output_dim, axis=0)
        size = layer._int4_block_size
    if size is None:
        return _matmul(inputs, kernel, dtype) / (inputs_scale * scale)
    zero = layer.embeddings_zero.t() if tied else layer.reverse_embeddings_zero
    scale = scale.t() if tied else scale
    weights = dequantize_with_sz_map(
        kernel.to(dtype), scale, zero, layer.g_idx, group_axis=0
    )
    return _matmul(inputs, weights, dtype) / inputs_scale


def _matmul(x, kernel, dtype):
    if x.dtype == torch.int8 and kernel.dtype == torch.int8:
        return int8_matmul(x, kernel).to(dtype)
    return torch.matmul(x.to(dtype), kernel.to(dtype))


REVERSIBLE_EMBEDDING = ReversibleEmbeddingQuantization()
