"""`keras.quantizers`: quantizers, quantization configs and the quantizer
functions (abs-max, int4 packing, float8 scaling, fake quantization).

The layers use them through `layer.quantize(mode)` / `model.quantize(mode)`
(`lamina/quantization/`).
"""

from __future__ import annotations

from typing import Any

from lamina.quantizers.calibration_configs import AWQConfig as AWQConfig
from lamina.quantizers.calibration_configs import GPTQConfig as GPTQConfig
from lamina.quantizers.fake_quant import (
    fake_quant_with_min_max_vars as fake_quant_with_min_max_vars,
)
from lamina.quantizers.float8 import (
    compute_float8_amax_history as compute_float8_amax_history,
)
from lamina.quantizers.float8 import (
    compute_float8_scale as compute_float8_scale,
)
from lamina.quantizers.float8 import (
    quantize_and_dequantize as quantize_and_dequantize,
)
from lamina.quantizers.grouped import (
    abs_max_quantize_grouped_with_zero_point as abs_max_quantize_grouped_with_zero_point,  # noqa: E501
)
from lamina.quantizers.grouped import (
    compute_quantization_parameters as compute_quantization_parameters,
)
from lamina.quantizers.grouped import (
    dequantize_with_sz_map as dequantize_with_sz_map,
)
from lamina.quantizers.grouped import (
    quantize_with_sz_map as quantize_with_sz_map,
)
from lamina.quantizers.int4_packing import pack_int4 as pack_int4
from lamina.quantizers.int4_packing import unpack_int4 as unpack_int4
from lamina.quantizers.quantization_config import (
    Float8QuantizationConfig as Float8QuantizationConfig,
)
from lamina.quantizers.quantization_config import (
    Int4QuantizationConfig as Int4QuantizationConfig,
)
from lamina.quantizers.quantization_config import (
    Int8QuantizationConfig as Int8QuantizationConfig,
)
from lamina.quantizers.quantization_config import (
    QuantizationConfig as QuantizationConfig,
)
from lamina.quantizers.quantizer import AbsMaxQuantizer as AbsMaxQuantizer
from lamina.quantizers.quantizer import Quantizer as Quantizer
from lamina.quantizers.quantizer import abs_max_quantize as abs_max_quantize
from lamina.saving import serialization

_CLASSES = (
    Quantizer,
    AbsMaxQuantizer,
    QuantizationConfig,
    Int8QuantizationConfig,
    Int4QuantizationConfig,
    Float8QuantizationConfig,
    AWQConfig,
    GPTQConfig,
)
# Keras looks quantizers up by class name and by its snake_case.
ALL_OBJECTS_DICT: dict[str, type] = {
    **{cls.__name__: cls for cls in _CLASSES},
    "quantizer": Quantizer,
    "abs_max_quantizer": AbsMaxQuantizer,
    "quantization_config": QuantizationConfig,
    "int8_quantization_config": Int8QuantizationConfig,
    "int4_quantization_config": Int4QuantizationConfig,
    "float8_quantization_config": Float8QuantizationConfig,
    "awq_config": AWQConfig,
    "gptq_config": GPTQConfig,
}


def serialize(initializer: Any) -> Any:
    """A quantizer's (or quantization config's) Keras config dict.

    Example:

    >>> import lamina
    >>> lamina.quantizers.serialize(lamina.quantizers.AbsMaxQuantizer())
    {'module': 'keras.quantizers', 'class_name': 'AbsMaxQuantizer', 'config': {'value_range': (-127, 127), 'epsilon': 1e-07, 'output_dtype': 'int8'}, 'registered_name': None}
    """
    return serialization.serialize_keras_object(initializer)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """The quantizer (or quantization config) `config` describes."""
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


def get(identifier: Any, **kwargs: Any) -> Any:
    """A quantizer from a name, a config dict, a class (instantiated with
    `kwargs`) or an instance; `None` stays `None`.

    Example:

    >>> import lamina
    >>> lamina.quantizers.get("abs_max_quantizer").value_range
    (-127, 127)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj(**kwargs) if isinstance(obj, type) else obj
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")


__all__ = [
    "AWQConfig",
    "AbsMaxQuantizer",
    "Float8QuantizationConfig",
    "GPTQConfig",
    "Int4QuantizationConfig",
    "Int8QuantizationConfig",
    "QuantizationConfig",
    "Quantizer",
    "abs_max_quantize",
    "abs_max_quantize_grouped_with_zero_point",
    "compute_float8_amax_history",
    "compute_float8_scale",
    "deserialize",
    "fake_quant_with_min_max_vars",
    "get",
    "pack_int4",
    "quantize_and_dequantize",
    "serialize",
    "unpack_int4",
]
