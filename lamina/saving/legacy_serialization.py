"""Keras 2's serialization format (`keras.utils.legacy`,
`keras.legacy.saving`): `{"class_name": ..., "config": ...}` with no
`module` key, and functions by bare name."""

from __future__ import annotations

import inspect
from typing import Any

from lamina.saving import builtin_lookup
from lamina.saving.registration import (
    get_registered_name,
    get_registered_object,
)


def serialize_keras_object(instance: Any) -> Any:
    """`instance` in Keras 2's form: its registered class name and
    `get_config()`; a function or class by its registered name.

    >>> import lamina
    >>> lamina.utils.legacy.serialize_keras_object(lamina.initializers.Zeros())
    {'class_name': 'Zeros', 'config': {}}
    """
    if instance is None:
        return None
    if inspect.isfunction(instance) or inspect.isclass(instance):
        return get_registered_name(instance)
    if not hasattr(instance, "get_config"):
        raise ValueError(
            "Invalid value for argument `instance` of serialize_keras_object:"
            " expected an object with `get_config()`, a function or a class. "
            f"Received: {instance!r}"
        )
    return {
        "class_name": get_registered_name(type(instance)),
        "config": instance.get_config(),
    }


def _find(name: str, module_objects, custom_objects, printable: str) -> Any:
    found = get_registered_object(name, custom_objects, module_objects)
    if found is None:
        found = builtin_lookup.find_class(name, {}) or (
            builtin_lookup.find_function(name)
        )
    if found is None:
        raise ValueError(
            f"Unknown {printable}: '{name}'. Please ensure you are using a "
            "`keras.utils.custom_object_scope` and that this object is "
            "included in the scope."
        )
    return found


def deserialize_keras_object(
    identifier: Any,
    module_objects: dict | None = None,
    custom_objects: dict | None = None,
    printable_module_name: str = "object",
) -> Any:
    """The object a Keras 2 config describes: a `{"class_name", "config"}`
    dict (built with `from_config`) or a name (a function or class).

    >>> import lamina
    >>> config = {"class_name": "Constant", "config": {"value": 2.0}}
    >>> lamina.utils.legacy.deserialize_keras_object(config).value
    2.0
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        if "class_name" not in identifier or "config" not in identifier:
            raise ValueError(
                f"Improper config format for {printable_module_name}: "
                f"expected 'class_name' and 'config' keys. Received: "
                f"{identifier!r}"
            )
        cls = _find(
            identifier["class_name"],
            module_objects,
            custom_objects,
            printable_module_name,
        )
        config = identifier["config"]
        if "custom_objects" in inspect.signature(cls.from_config).parameters:
            return cls.from_config(config, custom_objects=custom_objects)
        return cls.from_config(config)
    if isinstance(identifier, str):
        return _find(
            identifier, module_objects, custom_objects, printable_module_name
        )
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret serialized {printable_module_name}: "
        f"{identifier!r}"
    )
