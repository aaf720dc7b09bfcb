"""`Dense` quantized: int8 (weights and, by default, inputs), int4
(weight-only, per channel or grouped with zero points) and float8
(training with delayed scaling), with Keras's weights:

- int8: `kernel` int8 `(in, out)`, `kernel_scale` `(out,)`;
- int4: `kernel` int8 `(in, ceil(out / 2))` packed along `out`,
  `kernel_scale` `(out,)` or `(groups, out)`, grouped ones adding
  `kernel_zero` int8 `(groups, out)` and `g_idx` `(in,)`;
- float8: the float `kernel` plus six float32 scaling variables;
- gptq, awq: see `calibrated_weights`.

The float `kernel` is recovered as `kernel / kernel_scale` (per channel)
or `(kernel - kernel_zero[g]) * kernel_scale[g]` (grouped).
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.quantization import calibrated_weights as calibrated
from lamina.engine.weights import remove_weight
from lamina.quantization import float8_scaling
from lamina.quantization import kernel_quantization as kq
from lamina.quantization.int_matmul import QuantizedInputsMatmul
from lamina.quantizers.grouped import dequantize_with_sz_map
from lamina.quantizers.int4_packing import pack_int4, unpack_int4
from lamina.quantizers.quantization_config import QuantizationConfig
from lamina.quantizers.quantizer import AbsMaxQuantizer

FILE_ORDER = {
    "int8": ("kernel", "bias", "kernel_scale"),
    "int4": ("kernel", "bias", "kernel_scale", "kernel_zero", "g_idx"),
    "float8": ("kernel", "bias") + float8_scaling.SCALE_NAMES,
}


class DenseQuantization:
    """The quantization handler of `Dense` (see the module docstring)."""

    zero_name = "kernel_zero"  # Keras's name of the GPTQ/AWQ zero point

    def policy_mode(self, layer: Any, mode: str, config: Any) -> str:
        if mode in calibrated.CALIBRATED_MODES:
            return config.dtype_policy_string()
        return kq.int4_policy_mode(layer, config) if mode == "int4" else mode

    def file_order(self, layer: Any) -> list:
        if layer.quantization_mode in calibrated.CALIBRATED_MODES:
            return calibrated.file_order(layer)
        names = FILE_ORDER[layer.quantization_mode]
        return [n for n in names if n in layer._weight_info]

    def quantize(self, layer: Any, mode: str, config: Any) -> None:
        kernel = layer.kernel.detach()
        if mode in calibrated.CALIBRATED_MODES:
            # Placeholders; `model.quantize` calibrates and fills them.
            calibrated.build(layer, mode, config, self.zero_name)
            return
        if mode == "float8":
            self.build(layer, mode, config)
            return
        size = None if mode == "int8" else kq.block_size_of(layer, config)
        if mode == "int8":
            values, scale = kq.quantize_per_channel(
                kernel, config, 0, (-127, 127)
            )
            zero = None
        elif size is None:
            values, scale = kq.quantize_per_channel(kernel, config, 0, (-8, 7))
            zero = None
        else:
            values, scale, zero = kq.quantize_grouped(kernel, size)
        if mode == "int4":
            values = pack_int4(values, axis=-1)[0]
        self.build(layer, mode, config)
        kq.assign(layer, kernel=values, kernel_scale=scale)
        if zero is not None:
            kq.assign(layer, kernel_zero=zero)

    def build(self, layer: Any, mode: str, config: Any) -> None:
        """Replace the float kernel with zero-valued quantized weights."""
        if mode in calibrated.CALIBRATED_MODES:
            calibrated.build(layer, mode, config, self.zero_name)
            calibrated.mark_calibrated(layer)  # values come from a file
            return
        if mode == "float8":
            length = getattr(layer.dtype_policy, "amax_history_length", 1024)
            float8_scaling.add_scale_weights(layer, length)
            return
        in_dim, units = layer.kernel.shape
        default = AbsMaxQuantizer() if mode == "int8" else None
        layer.inputs_quantizer = (
            QuantizationConfig.activation_quantizer_or_default(config, default)
        )
        remove_weight(layer, "kernel")
        layer._orig_output_dim = units
        if mode == "int8":
            kq.add_frozen(layer, "kernel", (in_dim, units), "int8")
            kq.add_frozen(layer, "kernel_scale", (units,), init="ones")
            return
        kq.add_frozen(layer, "kernel", (in_dim, (units + 1) // 2), "int8")
        size = kq.block_size_of(layer, config)
        layer._int4_block_size = size
        if size is None:
            kq.add_frozen(layer, "kernel_scale", (units,), init="ones")
            return
        shape = (kq.n_groups(in_dim, size), units)
        kq.add_frozen(layer, "kernel_scale", shape, init="ones")
        kq.add_frozen(layer, "kernel_zero", shape, "int8")
        kq.add_group_index(layer, in_dim, size)

    def call(
        self, layer: Any, inputs: torch.Tensor, training: bool | None = None
    ) -> torch.Tensor:
        mode = layer.quantization_mode
        if mode in calibrated.CALIBRATED_MODES:
            y = torch.matmul(inputs, calibrated.kernel(layer, inputs.dtype))
            if layer.bias is not None:
                y = y + layer.bias
        elif mode == "float8":
            training = float8_scaling.resolve_training(training)
            y = float8_scaling.float8_matmul(
                layer, inputs, layer.kernel, training, torch.matmul
            )
            y = y + float8_scaling.float8_bias(layer)
        else:
            y = self._integer_matmul(layer, inputs)
            if layer.bias is not None:
                y = y + layer.bias
        return y if layer._linear else layer.activation(y)

    def _integer_matmul(self, layer, inputs):
        dtype = inputs.dtype
        kernel, scale = layer.kernel, layer.kernel_scale
        if layer.quantization_mode == "int4":
            kernel = unpack_int4(kernel, layer._orig_output_dim, axis=-1)
            if layer._int4_block_size is not None:
                w = dequantize_with_sz_map(
                    kernel, scale, layer.kernel_zero, layer.g_idx, group_axis=0
                )
                return torch.matmul(inputs, w.to(dtype))
        if layer.inputs_quantizer:
            return QuantizedInputsMatmul.apply(
                inputs, kernel, scale, layer.inputs_quantizer, dtype
            )
        return torch.matmul(inputs, kernel.to(dtype)) / scale


DENSE = DenseQuantization()
