"""A layer's configuration: `__init__`'s base arguments, `get_config`,
the build config, and the automatic config of simple custom layers.

`Layer` binds these as its methods (`Layer.get_config` is `get_config`,
so a subclass that overrides it is told apart by identity).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina.engine import dtype_policy as policies
from lamina.engine.build_shapes import as_build_shape, specs_from_shapes
from lamina.errors import format_value, unrecognized_kwargs

if TYPE_CHECKING:
    from lamina.engine.layer import Layer

# The keyword arguments every layer's `__init__` accepts (through **kwargs).
BASE_KWARGS = {
    "activity_regularizer",
    "trainable",
    "dtype",
    "autocast",
    "name",
    "input_shape",
    "input_dim",
    "batch_size",
    "batch_input_shape",
    "input_dtype",
    "quantization_config",
}


def config_keys() -> set[str]:
    """The config keys of the base `Layer` (not a subclass's arguments)."""
    return {"name", "trainable", "dtype", "autocast", "activity_regularizer"}


def check_init_arguments(
    layer: Layer, name: Any, kwargs: dict[str, Any]
) -> None:
    """Raise on an unknown keyword argument or a `name` that is no string."""
    unknown = set(kwargs) - BASE_KWARGS
    if unknown:
        raise ValueError(
            unrecognized_kwargs(type(layer), {k: kwargs[k] for k in unknown})
        )
    if name is not None and not isinstance(name, str):
        raise TypeError(
            "Invalid value for argument `name` of "
            f"{type(layer).__name__}: expected a string. "
            f"Received: name={name!r}"
        )


def batch_shape_from_kwargs(kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    if kwargs.get("input_shape") is not None:
        shape = kwargs["input_shape"]
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return (kwargs.get("batch_size"),) + shape
    if kwargs.get("input_dim") is not None:
        return (kwargs.get("batch_size"), kwargs["input_dim"])
    return None


def get_config(layer: Layer) -> dict[str, Any]:
    """The layer's config: the base keys, plus a simple custom layer's
    `__init__` arguments when its class does not override `get_config`."""
    config: dict[str, Any] = {
        "name": layer.name,
        "trainable": layer.trainable,
        "dtype": _serialize_policy(layer._dtype_policy),
    }
    if layer.activity_regularizer is not None:
        from lamina import regularizers

        config["activity_regularizer"] = regularizers.serialize(
            layer.activity_regularizer
        )
    if type(layer).get_config is get_config:
        config.update(auto_config(layer))
    return config


def auto_config(layer: Layer) -> dict[str, Any]:
    arguments = getattr(layer, "_init_arguments", None) or {}
    extra = {k: v for k, v in arguments.items() if k not in config_keys()}
    for key, value in extra.items():
        if not _is_plain(value):
            raise NotImplementedError(
                f"Layer {type(layer).__name__} was created with a "
                f"non-serializable argument {key}={format_value(value)}; "
                "implement `get_config()` so it can be saved."
            )
    return extra


def from_config_arguments(config: dict[str, Any]) -> dict[str, Any]:
    """`config` as keyword arguments (a serialized dtype policy revived)."""
    config = dict(config)
    if isinstance(config.get("dtype"), dict):
        config["dtype"] = policies.get(config["dtype"])
    return config


def get_build_config(layer: Layer) -> dict[str, Any] | None:
    if layer._build_shapes is None:
        return None
    return {"input_shape": as_build_shape(layer._build_shapes)}


def build_from_config(layer: Layer, config: dict[str, Any]) -> None:
    shape = config.get("input_shape")
    if shape is not None and not layer.built:
        layer._build_symbolic(specs_from_shapes(shape, layer.compute_dtype))


def _is_plain(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(
            isinstance(k, str) and _is_plain(v) for k, v in value.items()
        )
    return False


def _serialize_policy(policy: policies.DTypePolicy) -> dict[str, Any]:
    from lamina import dtype_policies  # quantized ones name their class

    serialized: dict[str, Any] = dtype_policies.serialize(policy)
    return serialized
