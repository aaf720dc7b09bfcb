"""Quantization configs: what `quantize(mode, config=...)` applies.

A config names its `mode` and may carry a weight quantizer and an
activation (inputs) quantizer; `validate_and_resolve_config` turns the
`(mode, config)` pair a caller gives into one config, as Keras does.
"""

from __future__ import annotations

from typing import Any

from lamina.engine.quantized_dtype_policy import QUANTIZATION_MODES
from lamina.saving import serialization


class QuantizationConfig:
    """The base class of quantization configs.

    Args:
        weight_quantizer: the quantizer of the weights (None: the mode's
            default).
        activation_quantizer: the quantizer of the inputs (None: none).
    """

    _keras_module = "keras.quantizers"

    def __init__(
        self, weight_quantizer: Any = None, activation_quantizer: Any = None
    ):
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self) -> str:
        raise NotImplementedError(
            "Subclasses must implement this property. Do not instantiate "
            "QuantizationConfig directly."
        )

    def get_config(self) -> dict:
        return {
            "weight_quantizer": serialization.serialize_keras_object(
                self.weight_quantizer
            ),
            "activation_quantizer": serialization.serialize_keras_object(
                self.activation_quantizer
            ),
        }

    @classmethod
    def from_config(cls, config: dict) -> "QuantizationConfig":
        return cls(
            weight_quantizer=serialization.deserialize_keras_object(
                config.get("weight_quantizer")
            ),
            activation_quantizer=serialization.deserialize_keras_object(
                config.get("activation_quantizer")
            ),
        )

    @staticmethod
    def weight_quantizer_or_default(config: Any, default: Any) -> Any:
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config: Any, default: Any) -> Any:
        if config is not None:
            return config.activation_quantizer
        return default


def _check_output_dtype(cls: str, quantizer: Any) -> None:
    if quantizer is not None and quantizer.output_dtype != "int8":
        raise ValueError(
            f"{cls} requires a weight_quantizer with output_dtype='int8'. "
            f"Received: output_dtype={quantizer.output_dtype}"
        )


class Int8QuantizationConfig(QuantizationConfig):
    """Int8 weights (abs-max per output unit) and, by default, int8 inputs
    (abs-max per row, `AbsMaxQuantizer()`).

    Example:

    >>> import lamina
    >>> lamina.quantizers.Int8QuantizationConfig().mode
    'int8'
    """

    _keras_module = "keras.quantizers"

    def __init__(
        self,
        weight_quantizer: Any = None,
        activation_quantizer: Any = "default",
    ):
        from lamina.quantizers.quantizer import AbsMaxQuantizer

        if activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        super().__init__(weight_quantizer, activation_quantizer)
        _check_output_dtype("Int8QuantizationConfig", self.weight_quantizer)

    @property
    def mode(self) -> str:
        return "int8"


class Int4QuantizationConfig(QuantizationConfig):
    """Int4 weights, weight-only by default.

    Args:
        weight_quantizer: a quantizer with `value_range=(-8, 7)` (only
            with per-channel quantization).
        activation_quantizer: `"default"` is none.
        block_size: rows per group for sub-channel (asymmetric, with zero
            point) quantization; `None` or `-1` for one symmetric scale per
            output channel.

    Example:

    >>> import lamina
    >>> lamina.quantizers.Int4QuantizationConfig(block_size=64).block_size
    64
    """

    _keras_module = "keras.quantizers"

    def __init__(
        self,
        weight_quantizer: Any = None,
        activation_quantizer: Any = "default",
        block_size: int | None = 128,
    ):
        if activation_quantizer == "default":
            activation_quantizer = None
        super().__init__(weight_quantizer, activation_quantizer)
        if block_size is not None and block_size != -1 and block_size <= 0:
            raise ValueError(
                "block_size must be None, -1, or a positive integer. "
                f"Received: block_size={block_size}"
            )
        self.block_size = block_size
        sub_channel = block_size is not None and block_size > 0
        if sub_channel and (
            self.weight_quantizer is not None
            or self.activation_quantizer is not None
        ):
            raise ValueError(
                "Int4 sub-channel quantization (block_size > 0) does not "
                "support custom quantizers. Either set block_size to None "
                "or -1 for per-channel quantization, or remove the custom "
                f"quantizer arguments. Received: block_size={block_size}"
            )
        quantizer = self.weight_quantizer
        if quantizer is not None and tuple(quantizer.value_range) != (-8, 7):
            raise ValueError(
                "Int4QuantizationConfig requires a weight_quantizer with "
                f"value_range=(-8, 7). Received: value_range="
                f"{quantizer.value_range}"
            )
        _check_output_dtype("Int4QuantizationConfig", quantizer)

    @property
    def mode(self) -> str:
        return "int4"

    def get_config(self) -> dict:
        return {**super().get_config(), "block_size": self.block_size}

    @classmethod
    def from_config(cls, config: dict) -> "Int4QuantizationConfig":
        return cls(
            weight_quantizer=serialization.deserialize_keras_object(
                config.get("weight_quantizer")
            ),
            activation_quantizer=serialization.deserialize_keras_object(
                config.get("activation_quantizer")
            ),
            # Files written before block_size existed were per channel.
            block_size=config.get("block_size", None),
        )


class Float8QuantizationConfig(QuantizationConfig):
    """Float8 training (delayed scaling); takes no custom quantizers.

    Example:

    >>> import lamina
    >>> lamina.quantizers.Float8QuantizationConfig().mode
    'float8'
    """

    _keras_module = "keras.quantizers"

    def __init__(self):
        super().__init__(None, None)

    @property
    def mode(self) -> str:
        return "float8"

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Float8QuantizationConfig":
        return cls()


_DEFAULTS = {
    "int8": Int8QuantizationConfig,
    "int4": Int4QuantizationConfig,
    "float8": Float8QuantizationConfig,
}


def _check_mode(mode: Any) -> None:
    if mode is not None and mode not in QUANTIZATION_MODES:
        raise ValueError(
            "Invalid quantization mode. "
            f"Expected one of {QUANTIZATION_MODES}. Received: mode={mode}"
        )


def validate_and_resolve_config(mode: Any, config: Any) -> QuantizationConfig:
    """The config that `quantize(mode, config)` applies: `config`, or the
    mode's default one; contradictions and unknown modes are errors."""
    if isinstance(config, str):  # Keras's backward-compatible shortcut
        mode, config = config, None
    _check_mode(mode)
    if config is None:
        if mode in ("gptq", "awq"):
            name = "GPTQConfig" if mode == "gptq" else "AWQConfig"
            raise ValueError(
                f"For {mode.upper()}, you must pass a `{name}` object in "
                "the `config` argument."
            )
        if mode is None:
            raise ValueError(
                "You must provide either `mode` or `config` to `quantize`."
            )
        return _DEFAULTS[mode]()
    if not isinstance(config, QuantizationConfig):
        raise ValueError(
            "Argument `config` must be an instance of "
            "`QuantizationConfig`. "
            f"Received: config={config} (of type {type(config)})"
        )
    if mode is not None and config.mode != mode:
        raise ValueError(
            f"Contradictory arguments: mode='{mode}' but "
            f"config.mode='{config.mode}'"
        )
    _check_mode(config.mode)
    return config


def from_layer_argument(config: Any) -> Any:
    """A layer's `quantization_config` argument: a config dict (from a
    file) becomes its object; objects and None pass through."""
    if isinstance(config, dict):
        return serialization.deserialize_keras_object(config)
    return config
