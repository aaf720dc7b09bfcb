"""`EinsumDense` quantized (int8, int4, float8), with Keras's weights:

- int8: `kernel` int8 (the kernel's shape), `kernel_scale` in the
  output's layout (`einsum_layout`), abs-max over the contracted axes;
  inputs quantized over their contracted axes by default;
- int4: the kernel reshaped (as is, no transpose: Keras's layout) to
  `(rows, columns)` with `rows` the product of the contracted axes, packed
  along `columns`; `kernel_scale` `(columns,)` or `(groups, columns)` with
  `kernel_zero` and `g_idx` when grouped along `rows`;
- float8: the float `kernel` plus the six float32 scaling variables;
- gptq, awq: see `calibrated_weights`.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from lamina.quantization import calibrated_weights as calibrated
from lamina.engine.weights import remove_weight
from lamina.quantization import einsum_layout as layout
from lamina.quantization import float8_scaling
from lamina.quantization import kernel_quantization as kq
from lamina.quantization.dense import DenseQuantization
from lamina.quantizers.grouped import dequantize_with_sz_map
from lamina.quantizers.int4_packing import pack_int4, unpack_int4
from lamina.quantizers.quantization_config import QuantizationConfig
from lamina.quantizers.quantizer import AbsMaxQuantizer, abs_max_quantize


def _specs(layer):
    return layout.specs(layer.equation, layer.input_spec.ndim)


class EinsumDenseQuantization(DenseQuantization):
    """The quantization handler of `EinsumDense` (module docstring)."""

    zero_name = "zero_point"

    def quantize(self, layer: Any, mode: str, config: Any) -> None:
        if mode in calibrated.CALIBRATED_MODES:
            super().quantize(layer, mode, config)
            return
        if mode == "float8":
            self.build(layer, mode, config)
            return
        kernel = layer.kernel.detach()
        inp, spec, out = _specs(layer)
        zero = None
        if mode == "int8":
            axes = layout.reduced_axes(spec, out)
            default = AbsMaxQuantizer(axis=axes)
            quantizer = QuantizationConfig.weight_quantizer_or_default(
                config, default
            )
            values, scale = quantizer(kernel, to_numpy=True)
            scale = layout.to_output_layout(scale, spec, out)
        else:
            flat = kernel.reshape(_rows_columns(kernel.shape, spec, out))
            size = kq.block_size_of(layer, config)
            if size is None:
                values, scale = abs_max_quantize(
                    flat, axis=0, value_range=(-8, 7), to_numpy=True
                )
                scale = scale.squeeze(0)
            else:
                values, scale, zero = kq.quantize_grouped(flat, size)
            values = pack_int4(values, axis=-1)[0]
        self.build(layer, mode, config)
        kq.assign(layer, kernel=values, kernel_scale=scale)
        if zero is not None:
            kq.assign(layer, kernel_zero=zero)

    def build(self, layer: Any, mode: str, config: Any) -> None:
        if mode == "float8" or mode in calibrated.CALIBRATED_MODES:
            super().build(layer, mode, config)
            return
        inp, spec, out = _specs(layer)
        shape = tuple(layer.kernel.shape)
        default = AbsMaxQuantizer() if mode == "int8" else None
        layer.inputs_quantizer = (
            QuantizationConfig.activation_quantizer_or_default(config, default)
        )
        remove_weight(layer, "kernel")
        layer._original_kernel_shape = shape
        if mode == "int8":
            scale_shape = [
                shape[spec.index(l)] if l in spec else 1 for l in out
            ]
            kq.add_frozen(layer, "kernel", shape, "int8")
            kq.add_frozen(layer, "kernel_scale", scale_shape, init="ones")
            return
        rows, columns = _rows_columns(shape, spec, out)
        kq.add_frozen(layer, "kernel", (rows, (columns + 1) // 2), "int8")
        size = kq.block_size_of(layer, config)
        layer._int4_block_size = size
        if size is None:
            kq.add_frozen(layer, "kernel_scale", (columns,), init="ones")
            return
        groups = (math.ceil(rows / size), columns)
        kq.add_frozen(layer, "kernel_scale", groups, init="ones")
        kq.add_frozen(layer, "kernel_zero", groups, "int8")
        kq.add_group_index(layer, rows, size)

    def call(
        self, layer: Any, inputs: torch.Tensor, training: bool | None = None
    ) -> torch.Tensor:
        def einsum(x, kernel):
            return torch.einsum(layer.equation, x, kernel)

        mode = layer.quantization_mode
        if mode in calibrated.CALIBRATED_MODES:
            y = einsum(inputs, calibrated.kernel(layer, inputs.dtype))
            if layer.bias is not None:
                y = y + layer.bias
        elif mode == "float8":
            training = float8_scaling.resolve_training(training)
            y = float8_scaling.float8_matmul(
                layer, inputs, layer.kernel, training, einsum
            )
            y = y + float8_scaling.float8_bias(layer)
        else:
            y = _integer_einsum(layer, inputs)
            if layer.bias is not None:
                y = y + layer.bias
        return layer.activation(y)


def gptq_config_entry(columns: int | None) -> dict:
    """`EinsumDense.get_config`'s `gptq_unpacked_column_size`, written
    (as Keras does) only once a GPTQ build has set it."""
    return {"gptq_unpacked_column_size": columns} if columns else {}


def _rows_columns(shape, spec: str, out: str) -> tuple[int, int]:
    reduced = layout.reduced_axes(spec, out)
    rows = math.prod(d for i, d in enumerate(shape) if i in reduced)
    return rows, math.prod(shape) // rows


def _float_kernel(layer, dtype):
    """The dequantized kernel, in the kernel's shape."""
    inp, spec, out = _specs(layer)
    kernel, scale = layer.kernel, layer.kernel_scale
    if layer.quantization_mode == "int8":
        return kernel.to(dtype) / layout.to_kernel_layout(scale, spec, out)
    rows, columns = _rows_columns(layer._original_kernel_shape, spec, out)
    kernel = unpack_int4(kernel, columns, axis=-1)
    if layer._int4_block_size is None:
        w = kernel.to(dtype) / scale
    else:
        w = dequantize_with_sz_map(
            kernel, scale, layer.kernel_zero, layer.g_idx, group_axis=0
        ).to(dtype)
    return w.reshape(layer._original_kernel_shape)


def _integer_einsum(layer, inputs):
    dtype = inputs.dtype
    if not layer.inputs_quantizer or (
        layer.quantization_mode == "int4" and layer._int4_block_size
    ):
        return torch.einsum(layer.equation, inputs, _float_kernel(layer, dtype))
    return QuantizedInputsEinsum.apply(inputs, layer, dtype)


class QuantizedInputsEinsum(torch.autograd.Function):
    """The einsum of quantized inputs with the quantized kernel, descaled,
    with Keras's straight-through gradient through the float kernel."""

    @staticmethod
    def forward(
        ctx: Any, inputs: torch.Tensor, layer: Any, dtype: torch.dtype
    ) -> torch.Tensor:
        inp, spec, out = _specs(layer)
        axes = layout.reduced_axes(inp, out)
        qx, x_scale = layer.inputs_quantizer(inputs, axis=axes)
        x_scale = layout.to_output_layout(x_scale, inp, out)
        ctx.layer, ctx.dtype = layer, dtype
        if layer.quantization_mode == "int4":
            w = _float_kernel(layer, dtype)
            return torch.einsum(layer.equation, qx.to(dtype), w) / x_scale
        y = _exact_int_einsum(layer.equation, qx, layer.kernel).to(dtype)
        return y / (x_scale * layer.kernel_scale)

    @staticmethod
    def backward(ctx: Any, dy: torch.Tensor) -> tuple:
        inp, spec, out = _specs(ctx.layer)
        w = _float_kernel(ctx.layer, ctx.dtype)
        return torch.einsum(f"{out},{spec}->{inp}", dy, w), None, None


def _exact_int_einsum(equation, a, b):
    if a.device.type == "cpu":
        return torch.einsum(equation, a.to(torch.int32), b.to(torch.int32))
    return torch.einsum(equation, a.double(), b.double()).to(torch.int32)


EINSUM_DENSE = EinsumDenseQuantization()
