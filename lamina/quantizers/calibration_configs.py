"""`GPTQConfig` and `AWQConfig`: the configs of Keras's calibrated 4-bit
modes.

`model.quantize(config=...)` runs the calibration they describe
(`lamina/quantization/calibration.py`); they are saved without their
dataset and tokenizer, as in Keras.
"""

from __future__ import annotations

from typing import Any

from lamina.quantizers.quantization_config import QuantizationConfig


def _check_common(num_samples, sequence_length, group_size, what) -> None:
    if num_samples <= 0:
        raise ValueError("num_samples must be a positive integer.")
    if sequence_length <= 0:
        raise ValueError("sequence_length must be a positive integer.")
    if group_size < -1 or group_size == 0:
        raise ValueError(
            f"Invalid group_size. Supported values are -1 ({what}) or a "
            f"positive integer, but got {group_size}."
        )


class GPTQConfig(QuantizationConfig):
    """The configuration of GPTQ (Hessian-aware post-training weight
    quantization, https://arxiv.org/abs/2210.17323).

    Args:
        dataset: calibration samples (not saved).
        tokenizer: turns string samples into token ids (not saved).
        weight_bits: 2, 3, 4 or 8.
        num_samples, sequence_length: how much calibration data is used.
        per_channel: one scale per output channel (or group).
        hessian_damping: the fraction of the Hessian's mean diagonal added
            for stability, in `[0, 1]`.
        group_size: input rows per group; `-1` for whole columns.
        symmetric: symmetric instead of asymmetric quantization.
        activation_order: quantize columns by decreasing activation size.
        quantization_layer_structure: `{"pre_block_layers": [...],
            "sequential_blocks": [...]}`.

    Example:

    >>> import lamina
    >>> lamina.quantizers.GPTQConfig(None, None).dtype_policy_string()
    'gptq/4/128'
    """

    _keras_module = "keras.quantizers"

    def __init__(
        self,
        dataset: Any,
        tokenizer: Any,
        *,
        weight_bits: int = 4,
        num_samples: int = 128,
        per_channel: bool = True,
        sequence_length: int = 512,
        hessian_damping: float = 0.01,
        group_size: int = 128,
        symmetric: bool = False,
        activation_order: bool = False,
        quantization_layer_structure: dict | None = None,
    ):
        super().__init__()
        if weight_bits not in [2, 3, 4, 8]:
            raise ValueError(
                f"Unsupported weight_bits {weight_bits}. "
                "Supported values are 2, 3, 4, and 8."
            )
        if hessian_damping < 0 or hessian_damping > 1:
            raise ValueError("hessian_damping must be between 0 and 1.")
        _check_common(num_samples, sequence_length, group_size, "whole-tensor")
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.num_samples = num_samples
        self.per_channel = per_channel
        self.sequence_length = sequence_length
        self.hessian_damping = hessian_damping
        self.weight_bits = weight_bits
        self.group_size = group_size
        self.symmetric = symmetric
        self.activation_order = activation_order
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self) -> str:
        return "gptq"

    def get_config(self) -> dict:
        # The dataset and tokenizer serve one calibration; not saved.
        return {
            "dataset": None,
            "tokenizer": None,
            "weight_bits": self.weight_bits,
            "num_samples": self.num_samples,
            "per_channel": self.per_channel,
            "sequence_length": self.sequence_length,
            "hessian_damping": self.hessian_damping,
            "group_size": self.group_size,
            "symmetric": self.symmetric,
            "activation_order": self.activation_order,
            # Layer objects, not config: Keras's saving recurses on them.
            "quantization_layer_structure": None,
        }

    @classmethod
    def from_config(cls, config: dict) -> "GPTQConfig":
        return cls(**config)

    def dtype_policy_string(self) -> str:
        """The policy mode string, `"gptq/<weight_bits>/<group_size>"`."""
        return f"gptq/{self.weight_bits}/{self.group_size}"


class AWQConfig(QuantizationConfig):
    """The configuration of AWQ (activation-aware 4-bit weight
    quantization, https://arxiv.org/abs/2306.00978).

    Args:
        dataset: calibration samples (not saved).
        tokenizer: turns string samples into token ids (not saved).
        weight_bits: must be 4.
        num_samples, sequence_length: how much calibration data is used.
        group_size: input rows per group; `-1` per channel.
        num_grid_points: points of the per-channel scale search.
        quantization_layer_structure: `{"pre_block_layers": [...],
            "sequential_blocks": [...]}`.

    Example:

    >>> import lamina
    >>> lamina.quantizers.AWQConfig(None, None).dtype_policy_string()
    'awq/4/128'
    """

    _keras_module = "keras.quantizers"

    def __init__(
        self,
        dataset: Any,
        tokenizer: Any,
        *,
        weight_bits: int = 4,
        num_samples: int = 128,
        sequence_length: int = 512,
        group_size: int = 128,
        num_grid_points: int = 20,
        quantization_layer_structure: dict | None = None,
    ):
        super().__init__()
        if weight_bits != 4:
            raise ValueError(
                "AWQ only supports 4-bit quantization. "
                f"Received weight_bits={weight_bits}."
            )
        _check_common(num_samples, sequence_length, group_size, "per-channel")
        if num_grid_points <= 0:
            raise ValueError("num_grid_points must be a positive integer.")
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.weight_bits = weight_bits
        self.num_samples = num_samples
        self.sequence_length = sequence_length
        self.group_size = group_size
        self.num_grid_points = num_grid_points
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self) -> str:
        return "awq"

    def get_config(self) -> dict:
        return {
            "dataset": None,
            "tokenizer": None,
            "weight_bits": self.weight_bits,
            "num_samples": self.num_samples,
            "sequence_length": self.sequence_length,
            "group_size": self.group_size,
            "num_grid_points": self.num_grid_points,
            # Layer objects, not config: Keras's saving recurses on them.
            "quantization_layer_structure": None,
        }

    @classmethod
    def from_config(cls, config: dict) -> "AWQConfig":
        return cls(**config)

    def dtype_policy_string(self) -> str:
        """The policy mode string, `"awq/<weight_bits>/<group_size>"`."""
        return f"awq/{self.weight_bits}/{self.group_size}"
