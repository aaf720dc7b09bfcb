"""The extension point through which `lamina/quantization/` quantizes a
layer.

A layer class with a quantized form names a handler in
`_quantization_handler` (`lamina/quantization/`); the handler swaps the
float weights for quantized ones (`quantize`), builds them directly for a
layer made with a quantized policy, and computes the quantized forward
pass. `Layer.forward` sends the call to the handler once `_is_quantized`.
`Layer.quantize`, `quantization_mode` and the `dtype_policy` setter are
the functions below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from lamina.engine import dtype_policy as policies
from lamina.engine import weights
from lamina.utils.dtype_utils import to_torch_dtype

if TYPE_CHECKING:
    from lamina.engine.layer import Layer


class QuantizationHandler(Protocol):
    """What `lamina/quantization/`'s handlers (`DenseQuantization`, ...)
    do for their layer class."""

    def policy_mode(self, layer: Any, mode: str, config: Any) -> str: ...

    def file_order(self, layer: Any) -> list[str]: ...

    def quantize(self, layer: Any, mode: str, config: Any) -> None: ...

    def build(self, layer: Any, mode: str, config: Any) -> None: ...

    # Each handler takes its layer's `call` arguments.
    def call(self, layer: Any, *args: Any, **kwargs: Any) -> Any: ...


def get_dtype_policy(layer: Layer) -> policies.DTypePolicy:
    """The layer's dtype policy."""
    return layer._dtype_policy


def set_dtype_policy(layer: Layer, value: Any) -> None:
    """Set the layer's dtype policy; as in Keras, a quantized policy on a
    built layer quantizes it."""
    policy = policies.get(value)
    layer._dtype_policy = policy
    layer._compute_torch_dtype = to_torch_dtype(policy.compute_dtype)
    mode = policy.quantization_mode
    if mode is not None and layer.built and not layer._is_quantized:
        layer.quantize(mode)


def quantization_mode(layer: Layer) -> str | None:
    """The quantization mode of this layer, `None` if not quantized."""
    return layer._dtype_policy.quantization_mode


def quantize(
    layer: Layer,
    mode: str | None = None,
    type_check: bool = True,
    config: Any = None,
) -> None:
    """Quantize the layer's weights: `"int8"`, `"int4"`, `"float8"`,
    or `"gptq"`/`"awq"` (which add the quantized weights beside the float
    kernel; `model.quantize` calibrates and fills them).

    The layer must be built; its policy becomes the quantized one
    (`"int8_from_float32"`). A layer class without a quantized form
    raises `NotImplementedError`, and so, with `type_check`, does a
    subclass of one that has it (as in Keras).

    Args:
        mode: the quantization mode (may be omitted with `config`).
        type_check: refuse subclasses of the quantizable layers.
        config: a `lamina.quantizers.QuantizationConfig`.
    """
    from lamina.quantization import quantize_layer

    quantize_layer(layer, mode, config, type_check)


def build_quantized(layer: Layer) -> None:
    """Give a layer made with a quantized policy its quantized weights."""
    from lamina.quantization import build_quantized as build

    build(layer)


def forward(layer: Layer, *args: Any, **kwargs: Any) -> Any:
    """`forward` of a quantized layer: the handler's `call`."""
    return handler(layer).call(layer, *args, **kwargs)


def handler(layer: Layer) -> QuantizationHandler:
    """The handler of a quantized layer's class."""
    found = layer._quantization_handler
    if found is None:  # `_is_quantized` is only set through one
        raise NotImplementedError(
            f"Layer {type(layer).__name__} has no quantized form."
        )
    return found


def file_order(layer: Any) -> list[str]:
    """The attribute names of `layer`'s own weights in the order Keras's
    files store them: `weights` order, except for a quantized layer, whose
    handler names Keras's `variable_serialization_spec` order."""
    if not layer._is_quantized:
        return weights.keras_order(layer)
    return list(handler(layer).file_order(layer))
