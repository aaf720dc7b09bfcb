"""`Embedding` quantized (int8, int4; Keras has no float8 embedding),
with Keras's weights:

- int8: `embeddings` int8 `(input_dim, output_dim)`, `embeddings_scale`
  `(input_dim,)` (one scale per row: rows are looked up whole);
- int4: `embeddings` int8 `(input_dim, ceil(output_dim / 2))` packed
  along `output_dim`; `embeddings_scale` `(input_dim,)`, or
  `(input_dim, groups)` with `embeddings_zero` int8 `(input_dim, groups)`
  and `g_idx` `(output_dim,)` when grouped along `output_dim`.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.weights import remove_weight
from lamina.engine.quantized_dtype_policy import QUANTIZATION_MODES
from lamina.quantization import kernel_quantization as kq
from lamina.quantizers.grouped import dequantize_with_sz_map
from lamina.quantizers.int4_packing import pack_int4, unpack_int4

FILE_ORDER = {
    "int8": ("embeddings", "embeddings_scale"),
    "int4": ("embeddings", "embeddings_scale", "embeddings_zero", "g_idx"),
}


def mode_error(mode: str) -> NotImplementedError:
    return NotImplementedError(
        "Invalid quantization mode. Expected one of "
        f"{QUANTIZATION_MODES}. Received: quantization_mode={mode}"
    )


class EmbeddingQuantization:
    """The quantization handler of `Embedding` (see the module docstring)."""

    table = "embeddings"

    def policy_mode(self, layer: Any, mode: str, config: Any) -> str:
        return kq.int4_policy_mode(layer, config) if mode == "int4" else mode

    def file_order(self, layer: Any) -> list:
        names = FILE_ORDER[layer.quantization_mode]
        return [n for n in names if n in layer._weight_info]

    def quantize(self, layer: Any, mode: str, config: Any) -> None:
        if mode not in FILE_ORDER:
            raise mode_error(mode)
        values, scale, zero = quantize_table(
            layer, getattr(layer, self.table).detach(), mode, config
        )
        self.build(layer, mode, config)
        kq.assign(layer, **{self.table: values, f"{self.table}_scale": scale})
        if zero is not None:
            kq.assign(layer, **{f"{self.table}_zero": zero})

    def build(self, layer: Any, mode: str, config: Any) -> None:
        if mode not in FILE_ORDER:
            raise mode_error(mode)
        build_table(layer, self.table, mode, config)

    def call(
        self, layer: Any, inputs: torch.Tensor, *, training: bool | None = None
    ) -> torch.Tensor:
        indices = layer._as_indices(inputs)
        dtype = layer._compute_torch_dtype
        return dequantized_rows(layer, self.table, indices, dtype)


def quantize_table(
    layer: Any, table: torch.Tensor, mode: str, config: Any
) -> tuple:
    """`(values, scale, zero)` of a `(rows, dim)` table quantized per row
    (int8, int4) or per group of `dim` (int4 with a block size)."""
    if mode == "int8":
        values, scale = kq.quantize_per_channel(table, config, -1, (-127, 127))
        return values, scale, None
    size = kq.block_size_of(layer, config)
    if size is None:
        values, scale = kq.quantize_per_channel(table, config, -1, (-8, 7))
        zero = None
    else:
        values, scale, zero = kq.quantize_grouped(table.t(), size)
        values, scale, zero = values.t(), scale.t(), zero.t()
    return pack_int4(values, axis=-1)[0], scale, zero


def build_table(layer: Any, name: str, mode: str, config: Any) -> None:
    """Replace the float table `name` with zero-valued quantized weights."""
    rows, dim = getattr(layer, name).shape
    remove_weight(layer, name)
    layer._orig_output_dim = dim
    if mode == "int8":
        kq.add_frozen(layer, name, (rows, dim), "int8")
        kq.add_frozen(layer, f"{name}_scale", (rows,), init="ones")
        return
    kq.add_frozen(layer, name, (rows, (dim + 1) // 2), "int8")
    size = kq.block_size_of(layer, config)
    layer._int4_block_size = size
    if size is None:
        kq.add_frozen(layer, f"{name}_scale", (rows,), init="ones")
        return
    shape = (rows, kq.n_groups(dim, size))
    kq.add_frozen(layer, f"{name}_scale", shape, init="ones")
    kq.add_frozen(layer, f"{name}_zero", shape, "int8")
    kq.add_group_index(layer, dim, size)


def dequantized_rows(
    layer: Any, name: str, indices: torch.Tensor, dtype: torch.dtype
) -> torch.Tensor:
    """The float rows `indices` of the quantized table `name`."""
    table, scale = getattr(layer, name), getattr(layer, f"{name}_scale")
    if layer.quantization_mode == "int4":
        table = unpack_int4(table, layer._orig_output_dim, axis=-1)
    rows, row_scale = table[indices], scale[indices]
    if getattr(layer, "_int4_block_size", None) is None:
        return rows.to(dtype) / row_scale[..., None]
    zero = getattr(layer, f"{name}_zero")[indices]
    out = dequantize_with_sz_map(
        rows.to(dtype), row_scale, zero, layer.g_idx, group_axis=-1
    )
    return out.to(dtype)


EMBEDDING = EmbeddingQuantization()
