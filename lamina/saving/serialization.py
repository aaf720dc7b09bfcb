"""Keras 3's serialized form: `{"module", "class_name", "config",
"registered_name"}`, plus `build_config` / `compile_config` for layers and
models.

`module` is written with Keras's names ("keras.layers", "keras") so that the
files lamina writes are read by Keras, and the other way round. On reading,
`module` only narrows a lookup among lamina's own public classes
(`builtin_lookup`): no module is imported and no function is looked up
because a file names it. The only code a file can carry, a serialized
`lambda` (`special_values`), is refused unless the caller opts out of safe
mode.
"""

from __future__ import annotations

import threading
import types
from typing import Any, cast

from lamina import config as lamina_config
from lamina.saving import builtin_lookup
from lamina.saving import registration
from lamina.saving import special_values

# The Keras module written for classes defined in each lamina family.
_FAMILY_MODULES = {
    "layers": "keras.layers",
    "activations": "keras.activations",
    "initializers": "keras.initializers",
    "regularizers": "keras.regularizers",
    "constraints": "keras.constraints",
    "losses": "keras.losses",
    "metrics": "keras.metrics",
    "callbacks": "keras.callbacks",
    "ops": "keras.ops",
    "distillation": "keras.distillation",
}
_PLAIN_TYPES = (str, int, float, bool)
_state = threading.local()


class SafeModeScope:
    """Set safe mode for every `deserialize_keras_object` call inside.

    Nested deserialization (a layer's `from_config` deserializing its
    sublayers) inherits the outer call's choice through this scope.

    Args:
        safe_mode: True to refuse lambdas; False to allow them; None to
            defer to each call's `safe_mode` argument.
    """

    def __init__(self, safe_mode: bool | None = True):
        self.safe_mode = safe_mode

    def __enter__(self) -> SafeModeScope:
        _safe_mode_stack().append(self.safe_mode)
        return self

    def __exit__(self, *exc: Any) -> None:
        _safe_mode_stack().pop()


def _safe_mode_stack() -> list:
    if not hasattr(_state, "safe_mode"):
        _state.safe_mode = []
    return _state.safe_mode


def in_safe_mode() -> bool | None:
    """The safe mode set by the innermost `SafeModeScope`, or None."""
    stack = _safe_mode_stack()
    return stack[-1] if stack else None


def keras_module_name(cls: type) -> str:
    """The `module` Keras writes for a lamina class (its public family)."""
    explicit = cls.__dict__.get("_keras_module")
    if explicit:
        return explicit
    parts = cls.__module__.split(".")
    if parts[0] != "lamina":
        return cls.__module__
    if len(parts) > 1 and parts[1] == "optimizers":
        if len(parts) > 2 and parts[2] == "schedules":
            return "keras.optimizers.schedules"
        return "keras.optimizers"
    if len(parts) > 1 and parts[1] in _FAMILY_MODULES:
        return _FAMILY_MODULES[parts[1]]
    return "keras"


def _is_lamina_object(obj: Any) -> bool:
    module = getattr(type(obj), "__module__", "") or ""
    return module.split(".")[0] == "lamina"


def serialize_keras_object(obj: Any) -> Any:
    """Serialize a lamina object (or plain value) into Keras's JSON form.

    Args:
        obj: None, a plain value, a list/tuple/dict of them, an array or
            tensor, a function, or an object with `get_config()`.

    Returns:
        A JSON-compatible structure equal to what Keras writes.

    Example:

    >>> import lamina
    >>> zeros = lamina.initializers.Zeros()
    >>> config = lamina.saving.serialize_keras_object(zeros)
    >>> config["module"], config["class_name"], config["registered_name"]
    ('keras.initializers', 'Zeros', None)
    """
    if obj is None or isinstance(obj, _PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(v) for v in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    special = special_values.encode(obj)
    if special is not special_values.NOT_SPECIAL:
        return special
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        return {
            "module": "builtins",
            "class_name": "function",
            "config": registration.get_registered_name(obj),
            "registered_name": "function",
        }
    if isinstance(obj, type):
        return {"class_name": "__type__", "config": {"value": obj.__name__}}
    if hasattr(obj, "get_config"):
        return _serialize_with_config(obj)
    raise TypeError(
        f"Cannot serialize object {obj!r} of type {type(obj).__name__}: it "
        "has no `get_config()` method. Implement `get_config()` or register "
        "it with `lamina.saving.register_keras_serializable()`."
    )


def _serialize_with_config(obj: Any) -> dict:
    cls = type(obj)
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(
            f"The `get_config()` method of {cls.__name__} should return a "
            f"dict. It returned: {config!r}"
        )
    module = keras_module_name(cls)
    if _is_lamina_object(obj):
        registered = registration._GLOBAL_CUSTOM_NAMES.get(cls)
    else:
        registered = registration.get_registered_name(cls)
    out = {
        "module": None if module == "__main__" else module,
        "class_name": cls.__name__,
        "config": serialize_keras_object(config),
        "registered_name": registered,
    }
    for getter, key in (
        ("get_build_config", "build_config"),
        ("get_compile_config", "compile_config"),
    ):
        method = getattr(obj, getter, None)
        value = method() if method is not None else None
        if value is not None:
            out[key] = serialize_keras_object(value)
    return out


def deserialize_keras_object(
    config: Any,
    custom_objects: dict | None = None,
    safe_mode: bool = True,
    **kwargs: Any,
) -> Any:
    """Rebuild an object from its serialized form (inverse of
    `serialize_keras_object`).

    Args:
        config: the serialized form (a dict, a name, a list, a plain value).
        custom_objects: names of user classes and functions.
        safe_mode: refuse serialized lambdas (code in the file).
        **kwargs: `module_objects`, a family's `{name: object}` table: bare
            names and configs naming its entries resolve to them (as
            `keras.initializers.deserialize("zeros")` does).

    Returns:
        The rebuilt object. With `module_objects`, an unknown name comes
        back as the name string (Keras's behaviour; the family's `get`
        reports it).

    Example:

    >>> import lamina
    >>> config = {"module": "keras.initializers", "class_name": "Constant",
    ...           "config": {"value": 2.0}, "registered_name": None}
    >>> lamina.saving.deserialize_keras_object(config).value
    2.0
    """
    module_objects = _module_objects_argument(kwargs)
    safe_mode = _effective_safe_mode(safe_mode)
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if module_objects is not None:
        found, value = _from_module_objects(
            config, module_objects, custom_objects, safe_mode
        )
        if found:
            return value
    if isinstance(config, str):
        obj = registration.get_registered_object(config, custom_objects)
        return obj if obj is not None else config
    if isinstance(config, (list, tuple)):
        return [
            deserialize_keras_object(c, custom_objects, safe_mode)
            for c in config
        ]
    if not isinstance(config, dict):
        raise TypeError(
            "Could not parse config: expected a dict, a string or None. "
            f"Received: config={config!r}"
        )
    if "class_name" not in config or "config" not in config:
        return {
            k: deserialize_keras_object(v, custom_objects, safe_mode)
            for k, v in config.items()
        }
    return _deserialize_dict(config, custom_objects, safe_mode)


def _module_objects_argument(kwargs: dict) -> dict | None:
    kwargs = dict(kwargs)
    module_objects = kwargs.pop("module_objects", None)
    kwargs.pop("printable_module_name", None)  # Keras 2's argument
    if kwargs:
        raise TypeError(
            "deserialize_keras_object() got unexpected keyword arguments: "
            f"{sorted(kwargs)}"
        )
    return module_objects


def _effective_safe_mode(safe_mode: bool) -> bool:
    # An enclosing scope (outer deserialization), the global opt-out, then the argument.
    scoped = in_safe_mode()
    if lamina_config.unsafe_deserialization_enabled():
        return False
    return scoped if scoped is not None else safe_mode


def _is_custom(name: Any, custom_objects: dict | None) -> bool:
    return (
        isinstance(name, str)
        and registration.get_registered_object(name, custom_objects) is not None
    )


def _from_module_objects(config, module_objects, custom_objects, safe_mode):
    """Keras's family-level lookup; `(False, None)` defers to the general
    path (user objects), `(True, value)` is the answer."""
    if isinstance(config, str):
        custom = registration.get_registered_object(config, custom_objects)
        if custom is not None:
            return True, custom
        name, inner, full = config, cast(Any, {}), None
    elif isinstance(config, dict):
        if "class_name" not in config:
            raise ValueError(f"Unknown `config` as a `dict`, config={config}")
        inner = config.get("config")
        if any(
            _is_custom(n, custom_objects)
            for n in (
                config["class_name"],
                config.get("registered_name"),
                inner,
            )
        ):
            return False, None
        if config["class_name"] == "function":
            if not isinstance(inner, str):
                return False, None  # the general path reports it
            return True, module_objects.get(inner, inner)
        if "module" in config and config["module"] is None:
            raise TypeError(
                f"Cannot deserialize object of type `{config['class_name']}`"
                f". If `{config['class_name']}` is a custom class, register "
                "it with `@lamina.saving.register_keras_serializable()`."
            )
        name, full = config["class_name"], config
    else:
        return False, None
    obj = module_objects.get(name)
    if obj is None:
        return True, name
    if not isinstance(obj, type):
        return True, obj
    return True, _instantiate(
        obj,
        inner or {},
        full or {"class_name": name},
        custom_objects,
        safe_mode,
    )


def _deserialize_dict(config: dict, custom_objects, safe_mode) -> Any:
    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    special = special_values.decode(class_name, inner, safe_mode)
    if special is not special_values.NOT_SPECIAL:
        return special
    if class_name == "function":
        return _deserialize_function(config, custom_objects)
    if class_name == "__type__":
        return _resolve_class({"class_name": inner["value"]}, custom_objects)
    if not isinstance(inner, dict):
        raise TypeError(
            f"Expected 'config' to be a dict for {class_name}. Received: "
            f"{type(inner).__name__}. Full object config: {config}"
        )
    cls = _resolve_class(config, custom_objects)
    if isinstance(cls, types.FunctionType):
        return cls
    if not hasattr(cls, "from_config"):
        raise TypeError(
            f"Unable to reconstruct an instance of '{class_name}' because "
            "the class has no `from_config()` method. Full object config: "
            f"{config}"
        )
    return _instantiate(cls, inner, config, custom_objects, safe_mode)


def _instantiate(cls, inner: dict, config: dict, custom_objects, safe_mode):
    # The scopes make `custom_objects` and `safe_mode` reach the nested
    # deserialization that `from_config` may do.
    with (
        registration.CustomObjectScope(custom_objects or {}),
        SafeModeScope(safe_mode),
    ):
        try:
            obj = cls.from_config(inner)
        except TypeError as e:
            raise TypeError(
                f"{cls.__name__} could not be deserialized properly: its "
                "`from_config()` failed. Make sure objects returned by "
                "`get_config()` are deserialized in `from_config()`.\n"
                f"config={config}\nException encountered: {e}"
            ) from e
        build_config = config.get("build_config")
        if (
            build_config
            and not getattr(obj, "built", False)
            and hasattr(obj, "build_from_config")
        ):
            obj.build_from_config(build_config)
        compile_config = config.get("compile_config")
        if compile_config and hasattr(obj, "compile_from_config"):
            obj.compile_from_config(compile_config)
    return obj


def _resolve_class(config: dict, custom_objects: dict | None) -> Any:
    class_name = config.get("class_name")
    for name in (config.get("registered_name"), class_name):
        if name:
            obj = registration.get_registered_object(name, custom_objects)
            if obj is not None:
                return obj
    obj = builtin_lookup.find_class(str(class_name), config)
    if obj is None:
        raise TypeError(
            f"Could not locate class '{class_name}'. Make sure custom classes "
            "are decorated with "
            "`@lamina.saving.register_keras_serializable()` or passed in "
            f"`custom_objects`. Full object config: {config}"
        )
    return obj


def _deserialize_function(config: dict, custom_objects: dict | None) -> Any:
    name = config["config"]
    if not isinstance(name, str):
        raise TypeError(
            "Expected 'config' to be the function's name for a function "
            f"config. Received: {name!r}. Full object config: {config}"
        )
    obj = registration.get_registered_object(name, custom_objects)
    if obj is None and ">" not in name:
        obj = registration.find_by_suffix(name, custom_objects)
    if obj is not None:
        return obj
    obj = builtin_lookup.find_function(name, config.get("module"))
    if obj is not None:
        return obj
    raise TypeError(
        f"Could not locate function '{name}'. Register it with "
        "`@lamina.saving.register_keras_serializable()` or pass it in "
        f"`custom_objects`. Full object config: {config}"
    )
