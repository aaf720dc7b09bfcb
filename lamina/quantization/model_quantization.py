"""`Model.quantize`: quantize every leaf layer a filter selects."""

from __future__ import annotations

import re
import warnings
from typing import Any

from lamina.engine.weight_listing import walk_layers
from lamina.errors import unrecognized_kwargs
from lamina.quantization.layer_quantization import (
    CALIBRATED_MODES,
    calibration_unsupported,
)
from lamina.quantizers.quantization_config import validate_and_resolve_config


def _selected(layer: Any, filters: Any) -> bool:
    if filters is None:
        return True
    if isinstance(filters, str):
        return bool(re.search(filters, layer.name))
    if isinstance(filters, (list, tuple)):
        return any(re.search(pattern, layer.name) for pattern in filters)
    return bool(filters(layer))


def _leaf_layers(model: Any) -> list:
    from lamina.engine.layer import Layer

    layers = [m for m in walk_layers(model) if isinstance(m, Layer)]
    return [
        layer
        for layer in layers
        if not any(
            isinstance(m, Layer) for m in layer.modules() if m is not layer
        )
    ]


def quantize_model(
    self: Any,
    mode: str | None = None,
    config: Any = None,
    filters: Any = None,
    **kwargs: Any,
) -> None:
    """Quantize the weights of the model's layers.

    The model must be built. Every leaf layer that `filters` selects is
    quantized with `layer.quantize(mode, config=config)`; layers without a
    quantized form are skipped with a warning, as in Keras.

    Args:
        mode: `"int8"`, `"int4"` or `"float8"` (optional with `config`).
            `"gptq"` and `"awq"` need calibration, which lamina does not
            implement (`NotImplementedError`).
        config: a `lamina.quantizers.QuantizationConfig`.
        filters: a regex on layer names, a list of them, or a callable
            `layer -> bool`.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    >>> model.quantize("int8")
    >>> model.layers[0].kernel.dtype
    torch.int8
    """
    type_check = kwargs.pop("type_check", True)
    if kwargs:
        raise ValueError(unrecognized_kwargs(type(self), kwargs))
    _check_filters(filters)
    resolved = validate_and_resolve_config(mode, config).mode
    if resolved in CALIBRATED_MODES:
        raise calibration_unsupported(resolved)
    modified = False
    for layer in _leaf_layers(self):
        if not _selected(layer, filters):
            continue
        try:
            layer.quantize(mode, type_check=type_check, config=config)
            modified = True
        except NotImplementedError as error:
            warnings.warn(str(error), stacklevel=2)
    if modified:
        # Compiled steps captured the float layers.
        self.__dict__.pop("_step_functions", None)


def _check_filters(filters: Any) -> None:
    """`filters` is None, a regex, a list/tuple of regexes or a callable."""
    if filters is not None and not (
        isinstance(filters, (str, list, tuple)) or callable(filters)
    ):
        raise ValueError(
            "The `filters` argument must be a regex string, a list of regex "
            f"strings, or a callable. Received: {type(filters)}"
        )
