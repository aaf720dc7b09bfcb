"""`keras.legacy.saving`: Keras 2's serialization format."""

from lamina.saving.legacy_serialization import (
    deserialize_keras_object,
    serialize_keras_object,
)

__all__ = ["deserialize_keras_object", "serialize_keras_object"]
