"""Quantized policies whose mode string carries parameters:
`Int4DTypePolicy` (`"int4/<block_size>"`), `GPTQDTypePolicy` and
`AWQDTypePolicy` (`"<algo>/<weight_bits>/<group_size>"`).

They carry a layer's quantization settings through its config, so a
quantized model loads back with the same weight shapes.
"""

from __future__ import annotations

from typing import Any

from lamina.engine.quantized_dtype_policy import QuantizedDTypePolicy


def _parse(
    cls: type, mode: str, algo: str, fields: tuple[str, ...]
) -> list[int]:
    parts = mode.split("/") if isinstance(mode, str) else []
    expected = "'" + "/".join([algo] + [f"<{f}>" for f in fields]) + "'"
    if len(parts) != len(fields) + 1 or parts[0] != algo:
        raise ValueError(
            f"Invalid mode for {cls.__name__}. Expected format {expected}, "
            f"but got '{mode}'."
        )
    try:
        return [int(p) for p in parts[1:]]
    except ValueError:
        names = " and ".join(f"<{f}>" for f in fields)
        kind = "integers" if len(fields) > 1 else "an integer"
        raise ValueError(
            f"Invalid mode for {cls.__name__}. {names} must be {kind}. "
            f"Expected format {expected}, but got '{mode}'."
        ) from None


def _check_group(value: int, mode: str, name: str, what: str) -> None:
    if value < -1 or value == 0:
        raise ValueError(
            f"Invalid {name} in mode. Supported values are -1 ({what}) or a "
            f"positive integer, but got {value} from '{mode}'."
        )


class Int4DTypePolicy(QuantizedDTypePolicy):
    """An int4 policy with its block size: `"int4/<block_size>"`, where
    `-1` is one scale per output channel and a positive size quantizes
    groups of that many input rows.

    >>> from lamina import dtype_policies
    >>> p = dtype_policies.Int4DTypePolicy("int4/128", "float32")
    >>> p.name, p.block_size, p.quantization_mode
    ('int4/128_from_float32', 128, 'int4')
    """

    def __init__(self, mode: str, source_name: str | None = None):
        (block_size,) = _parse(type(self), mode, "int4", ("block_size",))
        _check_group(block_size, mode, "block_size", "per-channel")
        super().__init__(mode="int4", source_name=source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode = "int4"
        self.block_size = block_size

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mode": f"int4/{self.block_size}"}


class _CalibratedDTypePolicy(QuantizedDTypePolicy):
    """`"<algo>/<weight_bits>/<group_size>"` policies."""

    _algo = ""
    _bits: tuple[int, ...] = (2, 3, 4, 8)
    _group_what = ""  # how `group_size=-1` groups, in the error message

    @staticmethod
    def _bits_message(bits: int, mode: str) -> str:
        raise NotImplementedError  # each algorithm words its own

    def __init__(self, mode: str, source_name: str | None = None):
        fields = ("weight_bits", "group_size")
        bits, group_size = _parse(type(self), mode, self._algo, fields)
        if bits not in self._bits:
            raise ValueError(self._bits_message(bits, mode))
        _check_group(group_size, mode, "group_size", self._group_what)
        super().__init__(mode=self._algo, source_name=source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode = self._algo
        self.weight_bits = bits
        self.group_size = group_size

    def get_config(self) -> dict[str, Any]:
        mode = f"{self._algo}/{self.weight_bits}/{self.group_size}"
        return {**super().get_config(), "mode": mode}


class GPTQDTypePolicy(_CalibratedDTypePolicy):
    """A GPTQ policy: `"gptq/<weight_bits>/<group_size>"` (bits 2, 3, 4
    or 8; group size -1 for whole columns).

    >>> from lamina import dtype_policies
    >>> dtype_policies.GPTQDTypePolicy("gptq/4/128", "float32")
    <GPTQDTypePolicy "gptq/4/128_from_float32">
    """

    _algo = "gptq"
    _group_what = "whole-tensor"

    @staticmethod
    def _bits_message(bits: int, mode: str) -> str:
        return (
            "Invalid weight_bits in mode. Supported values are 2, 3, 4, and "
            f"8, but got {bits} from '{mode}'."
        )


class AWQDTypePolicy(_CalibratedDTypePolicy):
    """An AWQ policy: `"awq/4/<group_size>"` (AWQ is 4-bit only).

    >>> from lamina import dtype_policies
    >>> dtype_policies.AWQDTypePolicy("awq/4/-1", "float32").group_size
    -1
    """

    _algo = "awq"
    _bits = (4,)
    _group_what = "per-channel"

    @staticmethod
    def _bits_message(bits: int, mode: str) -> str:
        return (
            "Invalid weight_bits in mode. AWQ only supports 4-bit "
            f"quantization, but got {bits} from '{mode}'."
        )
