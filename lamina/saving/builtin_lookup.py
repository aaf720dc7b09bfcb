"""Finding the lamina class or function a config names: the boundary that
keeps files data, never code.

A config's `module` only narrows the search among lamina's own public
namespaces (a fixed table keyed by Keras's module names): no module a file
names is ever imported, and only classes listed in a namespace's `__all__`
(or functions in a family's name table) can be returned.
"""

from __future__ import annotations

import importlib
from typing import Any

# lamina's public namespaces, by the Keras module name a config carries.
NAMESPACES = {
    "keras": "lamina",
    "keras.layers": "lamina.layers",
    "keras.models": "lamina.models",
    "keras.activations": "lamina.activations",
    "keras.initializers": "lamina.initializers",
    "keras.regularizers": "lamina.regularizers",
    "keras.constraints": "lamina.constraints",
    "keras.losses": "lamina.losses",
    "keras.metrics": "lamina.metrics",
    "keras.optimizers": "lamina.optimizers",
    "keras.optimizers.schedules": "lamina.optimizers.schedules",
    "keras.callbacks": "lamina.callbacks",
    "keras.ops": "lamina.ops",
    "keras.quantizers": "lamina.quantizers",
    "keras.utils": "lamina.utils",
    "keras.distillation": "lamina.distillation",
}
# Where a class is looked for when its config names no known module
# (Keras 2 style configs, `keras.src...` paths); layers first, as model
# configs are mostly layers (`Identity` is both a layer and an initializer).
_CLASS_SEARCH_ORDER = (
    "keras.layers",
    "keras.initializers",
    "keras.regularizers",
    "keras.constraints",
    "keras.activations",
    "keras.losses",
    "keras.metrics",
    "keras.optimizers",
    "keras.optimizers.schedules",
    "keras.callbacks",
    "keras.models",
    "keras",
)
# Families whose functions are serialized by bare name (Keras's
# BUILTIN_MODULES that hold functions).
_FUNCTION_FAMILIES = ("keras.activations", "keras.losses", "keras.metrics")


def _namespace(module: str) -> Any:
    return importlib.import_module(NAMESPACES[module])


def _public(namespace: Any, name: str) -> Any:
    if name in getattr(namespace, "__all__", ()):
        return getattr(namespace, name, None)
    return None


def find_class(class_name: str, config: dict) -> type | None:
    """The lamina public class `class_name` in the namespace the config's
    `module` narrows to, or None.

    Args:
        class_name: the config's `class_name`.
        config: the whole config (its `module` key, if any, is read).

    Example:

    >>> from lamina.saving import builtin_lookup
    >>> builtin_lookup.find_class("Zeros", {"module": "keras.initializers"})
    <class 'lamina.initializers.constant_initializers.Zeros'>
    >>> builtin_lookup.find_class("system", {"module": "os"}) is None
    True
    """
    module = config.get("module")
    if module is None and "module" in config:
        return None  # Keras writes None for classes defined in __main__.
    if module is None or module not in NAMESPACES:
        if module is not None and module.split(".")[0] != "keras":
            return None  # a user module: only registered objects apply
        candidates: tuple[str, ...] = _CLASS_SEARCH_ORDER
    else:
        candidates = (module,) + _CLASS_SEARCH_ORDER
    for name in candidates:
        obj = _public(_namespace(name), class_name)
        if isinstance(obj, type):
            return obj
    return None


def find_function(name: str, module: str | None = None) -> Any:
    """The lamina built-in function `name` (an activation, loss or metric
    function), or None. `module`, when a Keras family, is searched first.

    Example:

    >>> from lamina.saving import builtin_lookup
    >>> builtin_lookup.find_function("relu").__name__
    'relu'
    """
    families = (module,) if module in _FUNCTION_FAMILIES else ()
    for family in families + _FUNCTION_FAMILIES:
        namespace = _namespace(family)
        for table in ("ALL_FUNCTIONS_DICT", "ALL_OBJECTS_DICT"):
            obj = getattr(namespace, table, {}).get(name)
            if callable(obj) and not isinstance(obj, type):
                return obj
    return None
