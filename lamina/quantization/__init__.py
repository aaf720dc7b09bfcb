"""Quantized layers: `layer.quantize(mode)` and `model.quantize(mode)`.

Each quantizable layer class names a handler (`Dense` → `DENSE`, ...)
that replaces its float weights with Keras's quantized ones (same names,
shapes and dtypes, so files move both ways) and computes the quantized
forward pass. The quantizer functions themselves are `lamina.quantizers`.
"""

from __future__ import annotations

from lamina.quantization.layer_quantization import (
    build_quantized as build_quantized,
)
from lamina.quantization.layer_quantization import (
    quantize_layer as quantize_layer,
)
from lamina.quantization.model_quantization import (
    quantization_layer_structure as quantization_layer_structure,
)
from lamina.quantization.model_quantization import (
    quantize_model as quantize_model,
)

__all__ = [
    "build_quantized",
    "quantization_layer_structure",
    "quantize_layer",
    "quantize_model",
]
