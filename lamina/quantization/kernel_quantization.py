"""What every weight-quantized layer shares: swapping the float kernel for
Keras's int8 / packed-int4 weights, and the int4 block size."""

from __future__ import annotations

import math
from typing import Any

import torch

from lamina.engine.parameterized_dtype_policies import Int4DTypePolicy
from lamina.quantizers.grouped import abs_max_quantize_grouped_with_zero_point
from lamina.quantizers.quantization_config import (
    Int4QuantizationConfig,
    QuantizationConfig,
)
from lamina.quantizers.quantizer import AbsMaxQuantizer


def block_size_of(layer: Any, config: Any) -> int | None:
    """The int4 block size: the config's, else the policy's; `None` means
    one scale per channel (Keras's `get_block_size_for_layer`)."""
    if isinstance(config, Int4QuantizationConfig):
        size = config.block_size
    elif isinstance(layer.dtype_policy, Int4DTypePolicy):
        size = layer.dtype_policy.block_size
    else:
        size = None  # a legacy "int4_from_..." policy: per channel
    return None if size == -1 else size


def int4_policy_mode(layer: Any, config: Any) -> str:
    size = block_size_of(layer, config)
    return f"int4/{-1 if size is None else size}"


def add_frozen(
    layer: Any,
    name: str,
    shape: tuple | list,
    dtype: Any = None,
    init: str = "zeros",
) -> Any:
    """A non-trainable weight set as `layer.<name>`."""
    weight = layer.add_weight(
        name=name, shape=shape, initializer=init, dtype=dtype, trainable=False
    )
    setattr(layer, name, weight)
    return weight


def add_group_index(layer: Any, length: int, block_size: int) -> None:
    """`g_idx`: the group of each position along the grouped axis."""
    g_idx = add_frozen(layer, "g_idx", (length,), "float32")
    with torch.no_grad():
        g_idx.copy_(torch.arange(length, dtype=torch.float32) // block_size)


def quantize_per_channel(
    kernel: torch.Tensor, config: Any, axis: int, value_range: tuple
) -> tuple:
    """Abs-max quantize `kernel` reducing `axis` (the config's weight
    quantizer if it has one); returns `(values, scale)` with `axis`
    squeezed out of the scale."""
    default = AbsMaxQuantizer(axis=axis, value_range=value_range)
    quantizer = QuantizationConfig.weight_quantizer_or_default(config, default)
    values, scale = quantizer(kernel.detach(), to_numpy=True)
    return values, scale.squeeze(axis)


def quantize_grouped(kernel: torch.Tensor, block_size: int) -> tuple:
    """Grouped zero-point int4 of a 2D `(in, out)` kernel."""
    return abs_max_quantize_grouped_with_zero_point(
        kernel.detach(), block_size=block_size, to_numpy=True
    )


def n_groups(length: int, block_size: int) -> int:
    return math.ceil(length / block_size)


def assign(layer: Any, **values: Any) -> None:
    with torch.no_grad():
        for name, value in values.items():
            target = getattr(layer, name)
            target.copy_(value.to(target.dtype).reshape(target.shape))
