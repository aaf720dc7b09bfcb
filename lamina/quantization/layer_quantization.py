"""Quantizing one layer: the checks (built, not yet quantized, a known
mode, a quantizable class) and the policy change, around the handler."""

from __future__ import annotations

from typing import Any

from lamina import dtype_policies
from lamina.engine.quantized_dtype_policy import QUANTIZATION_MODES
from lamina.engine.weights import find_tensor
from lamina.quantizers.quantization_config import validate_and_resolve_config


def not_implemented(layer: Any) -> NotImplementedError:
    return NotImplementedError(
        f"Layer {type(layer).__name__} does not have a `quantize` method "
        "implemented."
    )


def check_quantize_args(layer: Any, mode: str) -> None:
    """Keras's checks before quantizing, with its error types."""
    if not layer.built:
        raise ValueError(
            "Cannot quantize a layer that isn't yet built. "
            f"Layer '{layer.name}' (of type '{type(layer).__name__}') "
            "is not built yet. Build it first (call it on data, or "
            "`layer.build(input_shape)`)."
        )
    if layer._is_quantized:
        raise ValueError(
            f"Layer '{layer.name}' is already quantized with "
            f"dtype_policy='{layer.dtype_policy.name}'. A layer is "
            f"quantized once. Received: mode={mode}"
        )
    if mode not in QUANTIZATION_MODES:
        raise ValueError(
            "Invalid quantization mode. "
            f"Expected one of {QUANTIZATION_MODES}. Received: mode={mode}"
        )
    if mode == "int8" and layer.compute_dtype == "float16":
        raise ValueError(
            f"Quantization mode='{mode}' doesn't work well with "
            "compute_dtype='float16'. Consider loading model/layer with "
            "another dtype policy such as 'mixed_bfloat16' or "
            "'mixed_float16' before calling `quantize()`."
        )


def _handler(layer: Any, type_check: bool) -> Any:
    handler = type(layer)._quantization_handler
    own = type(layer).__dict__.get("_quantization_handler") is not None
    if handler is None or (type_check and not own):
        raise not_implemented(layer)
    return handler


def quantize_layer(
    layer: Any, mode: Any, config: Any, type_check: bool = True
) -> None:
    """`layer.quantize(mode, type_check, config)`."""
    config = validate_and_resolve_config(mode, config)
    mode = config.mode
    check_quantize_args(layer, mode)
    handler = _handler(layer, type_check)
    layer.quantization_config = config
    handler.quantize(layer, mode, config)
    layer._is_quantized = True
    if layer.dtype_policy.quantization_mode is None:
        name = handler.policy_mode(layer, mode, config)
        source = layer.dtype_policy.name
        layer._dtype_policy = dtype_policies.get(f"{name}_from_{source}")


def build_quantized(layer: Any) -> None:
    """Give a just-built layer whose policy is quantized its quantized
    weights (zeros until a file's values are loaded)."""
    handler = type(layer)._quantization_handler
    mode = layer.quantization_mode
    if handler is None:
        return  # a layer without a quantized form computes in float
    # Tensors, not ids: the replaced kernel's id may be reused by its
    # quantized successor.
    before = {name: find_tensor(layer, name) for name in layer._weight_info}
    handler.build(layer, mode, getattr(layer, "quantization_config", None))
    layer._is_quantized = True
    # Keras's `build` makes the quantized weights before the others, so
    # they come first in `weights` (float8's scales before the kernel).
    info = layer._weight_info
    new = [n for n in info if before.get(n) is not find_tensor(layer, n)]
    layer._weight_info = {
        **{name: info[name] for name in new},
        **{name: meta for name, meta in info.items() if name not in new},
    }
