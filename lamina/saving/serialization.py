"""Keras 3's serialized form: `{"module", "class_name", "config",
"registered_name"}`, plus `build_config` / `compile_config` for layers and
models.

`module` is written with Keras's names ("keras.layers", "keras") so that the
files lamina writes are read by Keras, and the other way round. On reading,
`module` only narrows a lookup among lamina's own public classes: no module
is imported and no function is looked up because a file names it.
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np
import torch

from lamina.saving import registration

# lamina's public namespaces, by the Keras module name a config carries.
_NAMESPACES = {
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
}
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
}


def keras_module_name(cls: type) -> str:
    """The `module` Keras writes for a lamina class (its public family)."""
    explicit = cls.__dict__.get("_keras_module")
    if explicit:
        return explicit
    parts = cls.__module__.split(".")
    if parts[0] != "lamina":
        return cls.__module__
    if len(parts) > 2 and parts[1] == "optimizers":
        if parts[2] == "schedules":
            return "keras.optimizers.schedules"
        return "keras.optimizers"
    if len(parts) > 1 and parts[1] in _FAMILY_MODULES:
        return _FAMILY_MODULES[parts[1]]
    return "keras"


def _is_lamina_object(obj: Any) -> bool:
    module = getattr(type(obj), "__module__", "") or ""
    return module.split(".")[0] == "lamina"


def serialize_keras_object(obj: Any) -> Any:
    """Serialize a lamina object (or plain value) into Keras's JSON form."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return type(obj)(serialize_keras_object(v) for v in obj)
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, torch.Tensor):
        arr = obj.detach().cpu().numpy()
        return {"class_name": "__tensor__",
                "config": {"value": arr.tolist(), "dtype": arr.dtype.name}}
    if isinstance(obj, (np.generic,)):
        return obj.item()
    if isinstance(obj, torch.dtype):
        return str(obj).replace("torch.", "")
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        return _serialize_function(obj)
    if isinstance(obj, type):
        return {"class_name": "__type__", "config": {"value": obj.__name__}}
    if hasattr(obj, "get_config"):
        return _serialize_with_config(obj)
    raise TypeError(
        f"Cannot serialize object {obj!r} of type {type(obj).__name__}: it "
        "has no `get_config()` method. Implement `get_config()` or register "
        "it with `lamina.saving.register_keras_serializable()`."
    )


def _serialize_function(fn) -> Any:
    registered = registration._GLOBAL_CUSTOM_NAMES.get(fn)
    if registered is not None:
        return {"module": fn.__module__, "class_name": "function",
                "config": registered, "registered_name": "function"}
    return {"module": "builtins", "class_name": "function",
            "config": fn.__name__, "registered_name": "function"}


def _serialize_with_config(obj: Any) -> dict:
    cls = type(obj)
    registered = registration._GLOBAL_CUSTOM_NAMES.get(cls)
    config = obj.get_config()
    out = {
        "module": keras_module_name(cls),
        "class_name": cls.__name__,
        "config": serialize_keras_object(config),
        "registered_name": registered if registered else (
            None if _is_lamina_object(obj) else cls.__name__
        ),
    }
    build_config = getattr(obj, "get_build_config", None)
    if build_config is not None:
        value = build_config()
        if value is not None:
            out["build_config"] = serialize_keras_object(value)
    compile_config = getattr(obj, "get_compile_config", None)
    if compile_config is not None:
        value = compile_config()
        if value is not None:
            out["compile_config"] = serialize_keras_object(value)
    return out


def _lamina_namespace(module: str | None):
    import importlib

    target = _NAMESPACES.get(module or "")
    if target is None and module and module.startswith("keras."):
        family = module.split(".")[1]
        target = _NAMESPACES.get("keras." + family)
    if target is None:
        return None
    return importlib.import_module(target)


def _find_builtin(class_name: str, module: str | None) -> Any:
    """Look a class up among lamina's own public names (never imports a
    module named by the file)."""
    import lamina

    namespace = _lamina_namespace(module)
    if namespace is not None and hasattr(namespace, class_name):
        return getattr(namespace, class_name)
    for target in _NAMESPACES.values():
        ns = _lamina_namespace(
            next(k for k, v in _NAMESPACES.items() if v == target)
        )
        if ns is not None and class_name in getattr(ns, "__all__", ()):
            return getattr(ns, class_name)
    return getattr(lamina, class_name, None) if class_name in getattr(
        lamina, "__all__", ()) else None


def _resolve_class(config: dict, custom_objects: dict | None) -> Any:
    class_name = config.get("class_name")
    registered = config.get("registered_name")
    for name in (registered, class_name):
        if name:
            obj = registration.get_registered_object(name, custom_objects)
            if obj is not None:
                return obj
    obj = _find_builtin(class_name, config.get("module"))
    if obj is None:
        raise TypeError(
            f"Could not locate class '{class_name}'. Make sure custom classes "
            "are decorated with "
            "`@lamina.saving.register_keras_serializable()` or passed in "
            f"`custom_objects`. Full object config: {config}"
        )
    return obj


def deserialize_keras_object(
    config: Any,
    custom_objects: dict | None = None,
    safe_mode: bool = True,
    **kwargs: Any,
) -> Any:
    """Rebuild an object from its serialized form (inverse of
    `serialize_keras_object`)."""
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        obj = registration.get_registered_object(config, custom_objects)
        return obj if obj is not None else config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, custom_objects, safe_mode)
                for c in config]
    if not isinstance(config, dict):
        raise TypeError(
            f"Could not parse config: expected a dict, a string or None. "
            f"Received: config={config!r}"
        )
    if "class_name" not in config or "config" not in config:
        return {k: deserialize_keras_object(v, custom_objects, safe_mode)
                for k, v in config.items()}
    class_name = config["class_name"]
    inner = config["config"]
    if class_name == "__tuple__":
        return tuple(inner["value"])
    if class_name in ("__numpy__", "__tensor__"):
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "function":
        return _deserialize_function(config, custom_objects)
    cls = _resolve_class(config, custom_objects)
    if not hasattr(cls, "from_config"):
        raise TypeError(
            f"Could not deserialize '{class_name}': {cls!r} has no "
            "`from_config()` method."
        )
    obj = cls.from_config(inner)
    build_config = config.get("build_config")
    if build_config and hasattr(obj, "build_from_config"):
        obj.build_from_config(build_config)
    return obj


def _deserialize_function(config: dict, custom_objects: dict | None) -> Any:
    name = config["config"]
    obj = registration.get_registered_object(name, custom_objects)
    if obj is not None:
        return obj
    from lamina import activations

    fn = activations.ALL_OBJECTS_DICT.get(name) if hasattr(
        activations, "ALL_OBJECTS_DICT") else None
    if fn is None:
        raise TypeError(
            f"Could not locate function '{name}'. Register it with "
            "`@lamina.saving.register_keras_serializable()` or pass it in "
            "`custom_objects`."
        )
    return fn
