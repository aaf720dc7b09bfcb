"""Weight regularizers (`keras.regularizers`), and their registry.

`get(identifier)` turns what a layer's `*_regularizer=` argument may hold (a
name, a config dict, a class, an instance, a function) into a callable
`regularizer(weight) -> scalar`.
"""

from __future__ import annotations

from typing import Any

from lamina.regularizers.regularizers import L1 as L1
from lamina.regularizers.regularizers import L1L2 as L1L2
from lamina.regularizers.regularizers import L2 as L2
from lamina.regularizers.regularizers import (
    OrthogonalRegularizer as OrthogonalRegularizer,
)
from lamina.regularizers.regularizers import Regularizer as Regularizer
from lamina.saving.object_registry import ObjectRegistry

# Keras's lower-case aliases of the classes (`keras.regularizers.l2`).
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

# Every name Keras accepts for a built-in regularizer -> its class;
# "l1_l2" is the name Keras exports, "l1l2" the one its `get` knows.
ALL_OBJECTS_DICT: dict[str, type] = {
    "Regularizer": Regularizer,
    "regularizer": Regularizer,
    "L1": L1,
    "l1": L1,
    "L2": L2,
    "l2": L2,
    "L1L2": L1L2,
    "l1l2": L1L2,
    "l1_l2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "orthogonal_regularizer": OrthogonalRegularizer,
}
_REGISTRY = ObjectRegistry(
    "regularizer",
    ALL_OBJECTS_DICT,
    expected=(
        "a regularizer name (e.g. 'l2'), a config dict, a "
        "Regularizer class or instance, or a function"
    ),
)


def serialize(regularizer: Any) -> Any:
    """The regularizer's Keras config dict.

    Example:

    >>> import lamina
    >>> lamina.regularizers.serialize(lamina.regularizers.L2(0.5))["config"]
    {'l2': 0.5}
    """
    return _REGISTRY.serialize(regularizer)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """The regularizer described by `config` (a name or a config dict).

    Args:
        config: a name such as `"l2"`, or a serialized dict.
        custom_objects: extra names for user classes and functions.

    Returns:
        A regularizer instance (or a registered function).
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier: Any) -> Any:
    """Resolve a regularizer identifier to a callable, or None.

    Args:
        identifier: None, a name (`"l2"`), a config dict, a `Regularizer`
            class (instantiated with its defaults) or instance, or a
            function `fn(weight) -> scalar`.

    Returns:
        A callable, or None.

    Example:

    >>> import lamina
    >>> lamina.regularizers.get("l2")
    L2(l2=0.01)
    """
    if identifier is None:
        return None
    return _REGISTRY.get(identifier)


__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]
