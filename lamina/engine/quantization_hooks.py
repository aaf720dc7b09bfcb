"""The extension point through which `lamina/quantization/` quantizes a
layer, mixed into `Layer`.

A layer class with a quantized form names a handler in
`_quantization_handler` (`lamina/quantization/`); the handler swaps the
float weights for quantized ones (`quantize`), builds them directly for a
layer made with a quantized policy, and computes the quantized forward
pass. `Layer.forward` sends the call to the handler once `_is_quantized`.
"""

from __future__ import annotations

from typing import Any, Protocol

from lamina.engine import dtype_policy as policies
from lamina.engine import weights
from lamina.engine.mixin_host import ModuleHost
from lamina.utils.dtype_utils import to_torch_dtype


class QuantizationHandler(Protocol):
    """What `lamina/quantization/`'s handlers (`DenseQuantization`, ...)
    do for their layer class."""

    def policy_mode(self, layer: Any, mode: str, config: Any) -> str: ...

    def file_order(self, layer: Any) -> list: ...

    def quantize(self, layer: Any, mode: str, config: Any) -> None: ...

    def build(self, layer: Any, mode: str, config: Any) -> None: ...

    # Each handler takes its layer's `call` arguments.
    def call(self, layer: Any, *args: Any, **kwargs: Any) -> Any: ...


class QuantizationMixin(ModuleHost):
    """Quantization state and entry points of `Layer`."""

    _is_quantized = False
    # The object that quantizes this class's layers; None: no quantized form.
    _quantization_handler: QuantizationHandler | None = None

    @property
    def dtype_policy(self) -> policies.DTypePolicy:
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value: Any) -> None:
        # As in Keras, a quantized policy on a built layer quantizes it.
        policy = policies.get(value)
        self._dtype_policy = policy
        self._compute_torch_dtype = to_torch_dtype(policy.compute_dtype)
        mode = policy.quantization_mode
        if mode is not None and self.built and not self._is_quantized:
            self.quantize(mode)

    @property
    def quantization_mode(self) -> str | None:
        """The quantization mode of this layer, `None` if not quantized."""
        return self._dtype_policy.quantization_mode

    def quantize(
        self,
        mode: str | None = None,
        type_check: bool = True,
        config: Any = None,
    ) -> None:
        """Quantize the layer's weights: `"int8"`, `"int4"` or `"float8"`.

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

        quantize_layer(self, mode, config, type_check)

    def _build_quantized(self) -> None:
        from lamina.quantization import build_quantized

        build_quantized(self)

    def _remove_weight(self, attr: str) -> None:
        """Unregister the weight `attr` (a float kernel being replaced)."""
        self._weight_info.pop(attr)
        self._parameters.pop(attr)

    def _quantized_forward(self, *args: Any, **kwargs: Any) -> Any:
        """`forward` of a quantized layer: the handler's `call`."""
        return self._handler().call(self, *args, **kwargs)

    def _handler(self) -> QuantizationHandler:
        handler = self._quantization_handler
        if handler is None:  # `_is_quantized` is only set through one
            raise NotImplementedError(
                f"Layer {type(self).__name__} has no quantized form."
            )
        return handler


def file_order(layer: Any) -> list[str]:
    """The attribute names of `layer`'s own weights in the order Keras's
    files store them: `weights` order, except for a quantized layer, whose
    handler names Keras's `variable_serialization_spec` order."""
    if not layer._is_quantized:
        return weights.keras_order(layer)
    return list(layer._handler().file_order(layer))
