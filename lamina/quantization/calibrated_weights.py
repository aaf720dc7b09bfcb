"""The weights and forward pass of a GPTQ- or AWQ-quantized `Dense` or
`EinsumDense`, with Keras's variables.

The kernel is seen as a 2D `(rows, columns)` matrix: a 2D kernel as is; a
3D one as `(in, heads * head_dim)` when its largest axis comes first (a
query/key/value projection), else `(heads * head_dim, out)` (an attention
output). Keras's weights, all frozen:

- `quantized_kernel` (named `kernel`), uint8 `(columns, rows)`, the
  transposed levels, packed two per byte along `columns` at 4 bits;
- `kernel_scale` `(columns, groups)` and `kernel_zero` uint8 (named
  `zero_point` on `EinsumDense`), one per group of `group_size` rows;
- `awq_scales` `(rows,)` (AWQ only): the kernel's rows were multiplied by
  them before quantization, so the forward pass divides them out;
- `g_idx` `(rows,)`: each row's group (stored as `row / group_size`).

`layer.quantize("gptq" | "awq")` adds them beside the float kernel, which
the forward pass keeps using until calibration (`model.quantize`) stores
the results and drops it; a layer built from a quantized policy (a
loaded file) has only the quantized weights.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from lamina.engine.weights import remove_weight
from lamina.engine.parameterized_dtype_policies import (
    AWQDTypePolicy,
    GPTQDTypePolicy,
)
from lamina.quantizers.calibration_configs import AWQConfig, GPTQConfig
from lamina.quantizers.grouped import dequantize_with_sz_map
from lamina.quantizers.int4_packing import unpack_int4

CALIBRATED_MODES = ("gptq", "awq")
_FILE_ORDER = {
    "gptq": ("bias", "quantized_kernel", "kernel_scale", "kernel_zero"),
    "awq": ("bias", "quantized_kernel", "kernel_scale", "kernel_zero")
    + ("awq_scales",),
}
_SOURCES: dict[str, tuple[type, type]] = {
    "gptq": (GPTQConfig, GPTQDTypePolicy),
    "awq": (AWQConfig, AWQDTypePolicy),
}


def rows_columns(shape: tuple) -> tuple[int, int]:
    """The 2D view `(rows, columns)` of a 2D or 3D kernel shape."""
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) == 3:
        if shape.index(max(shape)) == 0:  # (in, heads, head_dim)
            return shape[0], shape[1] * shape[2]
        return shape[0] * shape[1], shape[2]  # (heads, head_dim, out)
    raise ValueError(
        "GPTQ and AWQ quantize 2D or 3D kernels only. Received: kernel "
        f"shape={tuple(shape)}"
    )


def settings(layer: Any, mode: str, config: Any) -> tuple[int, int]:
    """`(weight_bits, group_size)`: the config's, else the policy's."""
    config_type, policy_type = _SOURCES[mode]
    for source in (config, layer.dtype_policy):
        if isinstance(source, (config_type, policy_type)):
            found: Any = source
            return int(found.weight_bits), int(found.group_size)
    raise ValueError(
        f"For {mode.upper()} quantization of layer '{layer.name}', the "
        f"group_size and weight_bits must come from a `{config_type.__name__}`"
        f" (the `config` argument) or a `{policy_type.__name__}` dtype "
        f"policy. Received: config={config!r}, "
        f"dtype_policy={layer.dtype_policy.name!r}"
    )


def _add(layer, attr, name, shape, dtype=None, init="zeros"):
    weight = layer.add_weight(
        name=name, shape=shape, initializer=init, dtype=dtype, trainable=False
    )
    setattr(layer, attr, weight)  # the attribute, whatever Keras's name


def build(layer: Any, mode: str, config: Any, zero_name: str) -> None:
    """Add the zero-valued quantized weights beside the float kernel."""
    shape = tuple(layer.kernel.shape)
    rows, columns = rows_columns(shape)
    bits, group_size = settings(layer, mode, config)
    layer._calibrated_shape = shape
    layer._calibrated_bits = bits
    layer.is_gptq_calibrated = layer.is_awq_calibrated = False
    if mode == "gptq":
        layer.gptq_unpacked_column_size = columns  # Keras's attribute
    packed = (columns + 1) // 2 if bits == 4 else columns
    groups = 1 if group_size == -1 else math.ceil(rows / group_size)
    _add(layer, "quantized_kernel", "kernel", (packed, rows), "uint8")
    _add(layer, "kernel_scale", "kernel_scale", (columns, groups), None, "ones")
    _add(layer, "kernel_zero", zero_name, (columns, groups), "uint8")
    if mode == "awq":
        _add(layer, "awq_scales", "awq_scales", (rows,), None, "ones")
    _add(layer, "g_idx", "g_idx", (rows,), "float32")


def mark_calibrated(layer: Any) -> None:
    """Drop the float kernel: the quantized weights hold the layer now."""
    if "kernel" in layer._weight_info:
        remove_weight(layer, "kernel")
    mode = layer.quantization_mode
    layer.is_gptq_calibrated = mode == "gptq"
    layer.is_awq_calibrated = mode == "awq"


def file_order(layer: Any) -> list:
    """Keras's `variable_serialization_spec` order of the weights."""
    names = _FILE_ORDER[layer.quantization_mode] + ("g_idx",)
    return [name for name in names if name in layer._weight_info]


def kernel(layer: Any, dtype: torch.dtype) -> torch.Tensor:
    """The kernel the forward pass uses, in its float shape: the float
    one before calibration, else the dequantized levels."""
    if "kernel" in layer._weight_info:
        return layer.kernel.to(dtype)
    rows, columns = rows_columns(layer._calibrated_shape)
    levels = layer.quantized_kernel
    if layer._calibrated_bits == 4:
        levels = unpack_int4(levels, columns, axis=0, dtype="uint8")
    w = dequantize_with_sz_map(
        levels, layer.kernel_scale, layer.kernel_zero, layer.g_idx
    ).t()
    if layer.quantization_mode == "awq":
        w = w / layer.awq_scales[:, None]
    return w.reshape(layer._calibrated_shape).to(dtype)


class CalibrationTarget:
    """One layer as the calibration algorithms see it: the 2D view of its
    float kernel, and `store` for their results."""

    def __init__(self, layer: Any):
        self.layer = layer
        self.rows, self.columns = rows_columns(layer._calibrated_shape)
        self.device = layer.kernel.device

    def float_kernel_2d(self) -> torch.Tensor:
        return self.layer.kernel.detach().reshape(self.rows, self.columns)

    def store(
        self,
        levels: torch.Tensor,
        scale: torch.Tensor,
        zero: torch.Tensor,
        g_idx: torch.Tensor,
        awq_scales: torch.Tensor | None = None,
    ) -> None:
        layer = self.layer
        values = dict(
            quantized_kernel=levels,
            kernel_scale=scale,
            kernel_zero=zero,
            g_idx=g_idx,
        )
        if awq_scales is not None:
            values["awq_scales"] = awq_scales
        with torch.no_grad():
            for attr, value in values.items():
                target = getattr(layer, attr)
                target.copy_(value.to(target.dtype).reshape(target.shape))
        mark_calibrated(layer)
