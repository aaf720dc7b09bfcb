"""`keras.dtype_policies`: the policy classes and `get`/`serialize`/
`deserialize`. The classes live in `lamina.engine` (`dtype_policy.py`,
`quantized_dtype_policy.py`, `dtype_policy_map.py`)."""

from __future__ import annotations

from typing import Any

from lamina.engine.dtype_policy import DTypePolicy, FloatDTypePolicy
from lamina.engine.dtype_policy import get as _get
from lamina.engine.dtype_policy_map import DTypePolicyMap
from lamina.engine.parameterized_dtype_policies import (
    AWQDTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
)
from lamina.engine.quantized_dtype_policy import (
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
)

_CLASSES = {
    cls.__name__: cls
    for cls in (
        DTypePolicy,
        FloatDTypePolicy,
        QuantizedDTypePolicy,
        QuantizedFloat8DTypePolicy,
        DTypePolicyMap,
        Int4DTypePolicy,
        GPTQDTypePolicy,
        AWQDTypePolicy,
    )
}

__all__ = [
    "AWQDTypePolicy",
    "DTypePolicy",
    "DTypePolicyMap",
    "FloatDTypePolicy",
    "GPTQDTypePolicy",
    "Int4DTypePolicy",
    "QuantizedDTypePolicy",
    "QuantizedFloat8DTypePolicy",
    "deserialize",
    "get",
    "serialize",
]


def serialize(dtype_policy: DTypePolicy) -> dict:
    """A policy's Keras config dict.

    >>> from lamina import dtype_policies
    >>> dtype_policies.serialize(dtype_policies.DTypePolicy("float16"))
    {'module': 'keras', 'class_name': 'DTypePolicy', 'config': {'name': 'float16'}, 'registered_name': None}
    """
    cls = type(dtype_policy)
    module = (
        "keras.dtype_policies"
        if isinstance(dtype_policy, (QuantizedDTypePolicy, DTypePolicyMap))
        else "keras"
    )
    return {
        "module": module,
        "class_name": cls.__name__,
        "config": dtype_policy.get_config(),
        "registered_name": None,
    }


def deserialize(
    config: dict, custom_objects: dict | None = None
) -> DTypePolicy:
    """The policy a `serialize` dict describes."""
    name = config.get("class_name") if isinstance(config, dict) else None
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(
            "Invalid value for argument `config` of deserialize: expected a "
            f"dtype policy config with a class_name in {sorted(_CLASSES)}. "
            f"Received: config={config!r}"
        )
    if cls is DTypePolicyMap:
        return cls.from_config(config["config"], custom_objects)
    return cls.from_config(config["config"])


def get(identifier: Any) -> DTypePolicy:
    """A policy from a name (`"mixed_float16"`, `"int8_from_float32"`), a
    serialized dict, a policy, or `None` (the global policy).

    >>> from lamina import dtype_policies
    >>> dtype_policies.get("int8_from_float32")
    <QuantizedDTypePolicy "int8_from_float32">
    """
    if identifier is not None and not isinstance(
        identifier, (str, dict, DTypePolicy)
    ):
        raise ValueError(
            "Cannot interpret `dtype` argument. Expected a string or an "
            f"instance of DTypePolicy. Received: dtype={identifier!r}"
        )
    return _get(identifier)
