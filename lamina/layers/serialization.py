"""`lamina.layers.serialize` / `lamina.layers.deserialize`: a layer to and
from Keras's serialized form (`{"module", "class_name", "config", ...}`)."""

from __future__ import annotations

from typing import Any

from lamina.engine.layer import Layer
from lamina.saving import serialization


def serialize(layer: Layer) -> dict:
    """Returns the layer configuration as a Python dict.

    Args:
        layer: A `lamina.layers.Layer` instance to serialize.

    Returns:
        Python dict which contains the configuration of the layer, in the
        form Keras 3 writes.

    Example:

    >>> import lamina
    >>> config = lamina.layers.serialize(lamina.layers.Dense(3))
    >>> config["module"], config["class_name"], config["config"]["units"]
    ('keras.layers', 'Dense', 3)
    """
    return serialization.serialize_keras_object(layer)


def deserialize(config: dict, custom_objects: dict | None = None) -> Layer:
    """Returns a lamina layer object via its configuration.

    Args:
        config: A python dict containing a serialized layer configuration.
        custom_objects: Optional dictionary mapping names (strings) to custom
            objects (classes and functions) to be considered during
            deserialization.

    Returns:
        A lamina layer instance.

    Example:

    >>> import lamina
    >>> config = lamina.layers.serialize(lamina.layers.Dense(3, name="d"))
    >>> layer = lamina.layers.deserialize(config)
    >>> type(layer).__name__, layer.units, layer.name
    ('Dense', 3, 'd')
    """
    obj: Any = serialization.deserialize_keras_object(
        config, custom_objects=custom_objects
    )
    if not isinstance(obj, Layer):
        raise ValueError(
            "`lamina.layers.deserialize` was passed a `config` object that "
            f"is not a `lamina.layers.Layer`. Received: config={config}"
        )
    return obj
