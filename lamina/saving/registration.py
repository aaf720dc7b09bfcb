"""The registry of user classes and functions that configs may name.

A config names a class by `registered_name` ("package>Name") for user
objects, or by `module` + `class_name` for lamina's (Keras's) own. Only the
objects registered here, passed as `custom_objects`, or defined by lamina
itself can ever be chosen: nothing is imported because a file says so.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

_GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
_GLOBAL_CUSTOM_NAMES: dict[Any, str] = {}
_scope = threading.local()


def register_keras_serializable(
    package: str = "Custom", name: str | None = None
) -> Callable:
    """Register a class or function so that configs can name it.

    Args:
        package: the package part of the registered name.
        name: the name part; defaults to the object's `__name__`.

    Example:

    >>> import lamina
    >>> @lamina.saving.register_keras_serializable(package="demo")
    ... def my_activation(x):
    ...     return x
    >>> lamina.saving.get_registered_name(my_activation)
    'demo>my_activation'
    """
    if not isinstance(package, str) or ">" in package:
        raise ValueError(
            "Invalid value for argument `package` of "
            "register_keras_serializable: expected a string without '>'. "
            f"Received: package={package!r}"
        )

    def decorator(obj):
        key = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot register {obj}: a registered class must implement "
                "`get_config()`."
            )
        _GLOBAL_CUSTOM_OBJECTS[key] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = key
        return obj

    return decorator


register_serializable = register_keras_serializable


def get_registered_name(obj: Any) -> str:
    """The name `obj` is registered under, or its `__name__`."""
    if obj in _GLOBAL_CUSTOM_NAMES:
        return _GLOBAL_CUSTOM_NAMES[obj]
    return getattr(obj, "__name__", type(obj).__name__)


def get_custom_objects() -> dict:
    """The global dict of registered objects (mutable, as in Keras)."""
    return _GLOBAL_CUSTOM_OBJECTS


def _scope_stack() -> list:
    if not hasattr(_scope, "stack"):
        _scope.stack = []
    return _scope.stack


class CustomObjectScope:
    """Make extra objects visible to deserialization inside a `with` block.

    Args:
        custom_objects: a dict mapping names to classes or functions.
    """

    def __init__(self, custom_objects: dict | None):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _scope_stack().append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scope_stack().pop()


custom_object_scope = CustomObjectScope


def get_registered_object(
    name: str,
    custom_objects: dict | None = None,
    module_objects: dict | None = None,
) -> Any:
    """Find `name` in `custom_objects`, the active scopes, the global
    registry, then `module_objects`; None when absent."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    for scope in reversed(_scope_stack()):
        if name in scope:
            return scope[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def find_by_suffix(name: str, custom_objects: dict | None = None) -> Any:
    """The custom object registered as `"package>name"` for any package.

    Keras up to 3.6 saved registered functions by their bare name; this
    finds them again. Looks in the same places as `get_registered_object`.
    """
    suffix = ">" + name
    sources = [
        custom_objects or {},
        *reversed(_scope_stack()),
        _GLOBAL_CUSTOM_OBJECTS,
    ]
    for source in sources:
        for key, obj in source.items():
            if isinstance(key, str) and key.endswith(suffix):
                return obj
    return None
