"""Weight constraints (`keras.constraints`), and their registry.

`get(identifier)` turns what a layer's `*_constraint=` argument may hold (a
name, a config dict, a class, an instance, a function) into a callable
`constraint(weight) -> weight`.
"""

from __future__ import annotations

from typing import Any

from lamina.constraints.constraints import Constraint as Constraint
from lamina.constraints.constraints import MaxNorm as MaxNorm
from lamina.constraints.constraints import MinMaxNorm as MinMaxNorm
from lamina.constraints.constraints import NonNeg as NonNeg
from lamina.constraints.constraints import UnitNorm as UnitNorm
from lamina.saving.object_registry import ObjectRegistry

# Keras's snake_case aliases of the classes (`keras.constraints.max_norm`).
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

# Every name Keras accepts for a built-in constraint -> its class.
ALL_OBJECTS_DICT: dict[str, type] = {
    "Constraint": Constraint,
    "constraint": Constraint,
    "MaxNorm": MaxNorm,
    "max_norm": MaxNorm,
    "MinMaxNorm": MinMaxNorm,
    "min_max_norm": MinMaxNorm,
    "NonNeg": NonNeg,
    "non_neg": NonNeg,
    "UnitNorm": UnitNorm,
    "unit_norm": UnitNorm,
}
_REGISTRY = ObjectRegistry(
    "constraint",
    ALL_OBJECTS_DICT,
    expected=(
        "a constraint name (e.g. 'max_norm'), a config dict, a "
        "Constraint class or instance, or a function"
    ),
)


def serialize(constraint: Any) -> Any:
    """The constraint's Keras config dict.

    Example:

    >>> import lamina
    >>> lamina.constraints.serialize(lamina.constraints.NonNeg())["class_name"]
    'NonNeg'
    """
    return _REGISTRY.serialize(constraint)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """The constraint described by `config` (a name or a config dict).

    Args:
        config: a name such as `"max_norm"`, or a serialized dict.
        custom_objects: extra names for user classes and functions.

    Returns:
        A constraint instance (or a registered function).
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier: Any) -> Any:
    """Resolve a constraint identifier to a callable, or None.

    Args:
        identifier: None, a name (`"non_neg"`), a config dict, a
            `Constraint` class (instantiated with its defaults) or
            instance, or a function `fn(weight) -> weight`.

    Returns:
        A callable, or None.

    Example:

    >>> import lamina
    >>> lamina.constraints.get("max_norm")
    MaxNorm(max_value=2, axis=0)
    """
    if identifier is None:
        return None
    return _REGISTRY.get(identifier)


__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "serialize",
    "unit_norm",
]
