"""Quantized dtype policies: `QuantizedDTypePolicy` ("int8_from_float32")
and `QuantizedFloat8DTypePolicy`.

lamina reads, writes and reports these policies as Keras does (names,
configs, dtypes); a layer whose policy is quantized builds quantized
weights (`lamina/quantization/`).
"""

from __future__ import annotations

from typing import Any

from lamina.engine.dtype_policy import DTypePolicy, global_policy

QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


class QuantizedDTypePolicy(DTypePolicy):
    """A policy for quantized weights: `mode` applied to a source policy.

    Args:
        mode: one of `"int8"`, `"float8"`, `"int4"`, `"gptq"`, `"awq"`.
        source_name: the float policy the layer computes with; defaults
            to the global policy's name.

    >>> from lamina import dtype_policies
    >>> p = dtype_policies.QuantizedDTypePolicy("int8", "mixed_bfloat16")
    >>> p.name, p.compute_dtype, p.variable_dtype, p.quantization_mode
    ('int8_from_mixed_bfloat16', 'bfloat16', 'float32', 'int8')
    """

    _keras_module = "keras.dtype_policies"

    def __init__(self, mode: str, source_name: str | None = None):
        if source_name is None:
            source_name = global_policy().name
        super().__init__(source_name)
        if mode not in QUANTIZATION_MODES:
            raise ValueError(
                f"Invalid value for argument `mode` of {type(self).__name__}: "
                f"expected one of {QUANTIZATION_MODES}. Received: mode={mode!r}"
            )
        if self.compute_dtype == "float16" and mode == "int8":
            raise ValueError(
                f"Invalid value for argument `mode` of {type(self).__name__}: "
                "int8 quantization does not work well with a float16 compute "
                f"dtype; use bfloat16 or float32. Received: mode={mode!r}, "
                f"source_name={source_name!r}"
            )
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._mode = mode

    @property
    def quantization_mode(self) -> str:
        return self._mode

    def get_config(self) -> dict[str, Any]:
        return {"mode": self._mode, "source_name": self._source_name}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.get_config() == (
            self.get_config()
        )

    def __hash__(self) -> int:
        return hash(self._name)


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """A float8 quantized policy, with the length of the amax history the
    float8 scaling keeps.

    >>> from lamina import dtype_policies
    >>> dtype_policies.QuantizedFloat8DTypePolicy("float8", "float32")
    <QuantizedFloat8DTypePolicy "float8_from_float32">
    """

    default_amax_history_length = 1024

    def __init__(
        self,
        mode: str,
        source_name: str | None = None,
        amax_history_length: int = 1024,
    ):
        super().__init__(mode=mode, source_name=source_name)
        if not isinstance(amax_history_length, int):
            raise TypeError(
                "Invalid value for argument `amax_history_length` of "
                "QuantizedFloat8DTypePolicy: expected an int. Received: "
                f"amax_history_length={amax_history_length!r}"
            )
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self) -> int:
        return self._amax_history_length

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "amax_history_length": self._amax_history_length,
        }


def from_name(name: str) -> QuantizedDTypePolicy:
    """`"int8_from_float32"` → its policy; the mode picks the class
    (`"int4/128"` → `Int4DTypePolicy`, `"gptq/4/128"` → `GPTQDTypePolicy`,
    `"float8"` → `QuantizedFloat8DTypePolicy`), as in Keras."""
    from lamina.engine import parameterized_dtype_policies as parameterized

    mode, _, source = name.partition("_from_")
    if mode.startswith("int4/"):
        return parameterized.Int4DTypePolicy(mode, source)
    if mode.startswith("gptq"):
        return parameterized.GPTQDTypePolicy(mode, source)
    if mode.startswith("awq"):
        return parameterized.AWQDTypePolicy(mode, source)
    if mode == "float8":
        return QuantizedFloat8DTypePolicy(mode, source)
    return QuantizedDTypePolicy(mode, source)
