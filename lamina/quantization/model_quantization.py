"""`Model.quantize`: quantize every leaf layer a filter selects."""

from __future__ import annotations

import re
import warnings
from typing import Any

from lamina.engine.weight_listing import walk_layers
from lamina.errors import unrecognized_kwargs
from lamina.quantization import calibration
from lamina.quantization.calibrated_weights import CALIBRATED_MODES
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
        mode: `"int8"`, `"int4"`, `"float8"`, `"gptq"` or `"awq"`
            (optional with `config`).
        config: a `lamina.quantizers.QuantizationConfig`; a `GPTQConfig`
            or `AWQConfig` for the calibrated modes, whose dataset runs
            through the blocks its `quantization_layer_structure` (or
            `model.get_quantization_layer_structure(mode)`) names
            (`lamina/quantization/calibration.py`).
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
    plan = None
    if resolved in CALIBRATED_MODES:
        # Checked before any layer changes: a bad call leaves no half.
        plan = calibration.prepare(self, resolved, config)
    modified = _quantize_leaves(self, mode, config, filters, type_check)
    if plan is not None:
        calibration.calibrate(config, *plan, filters)
    if modified:
        # Compiled steps captured the float layers.
        self.__dict__.pop("_step_functions", None)


def _quantize_leaves(model, mode, config, filters, type_check) -> bool:
    """`layer.quantize` on each selected leaf; whether any changed."""
    modified = False
    for layer in _leaf_layers(model):
        if not _selected(layer, filters):
            continue
        try:
            layer.quantize(mode, type_check=type_check, config=config)
            modified = True
        except NotImplementedError as error:
            warnings.warn(str(error), stacklevel=3)
    return modified


def quantization_layer_structure(self: Any, mode: str | None = None) -> Any:
    """The blocks `quantize("gptq" | "awq")` calibrates, when the config
    names none: override to return `{"pre_block_layers": [...],
    "sequential_blocks": [...]}` (the layers that turn token ids into the
    first block's inputs, then the blocks in order). `None` by default.

    Example:

    >>> import lamina
    >>> lamina.Sequential([]).get_quantization_layer_structure("gptq") is None
    True
    """
    del mode  # every mode calibrates the same blocks here
    return None


def _check_filters(filters: Any) -> None:
    """`filters` is None, a regex, a list/tuple of regexes or a callable."""
    if filters is not None and not (
        isinstance(filters, (str, list, tuple)) or callable(filters)
    ):
        raise ValueError(
            "The `filters` argument must be a regex string, a list of regex "
            f"strings, or a callable. Received: {type(filters)}"
        )
