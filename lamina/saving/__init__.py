"""Serialization, the `.keras` archive and weights files."""

from lamina.saving.file_editor import KerasFileEditor as KerasFileEditor
from lamina.saving.registration import CustomObjectScope as CustomObjectScope
from lamina.saving.registration import (
    custom_object_scope as custom_object_scope,
)
from lamina.saving.registration import get_custom_objects as get_custom_objects
from lamina.saving.registration import (
    get_registered_name as get_registered_name,
)
from lamina.saving.registration import (
    get_registered_object as get_registered_object,
)
from lamina.saving.registration import (
    register_keras_serializable as register_keras_serializable,
)
from lamina.saving.saving_api import load_model as load_model
from lamina.saving.saving_api import load_weights as load_weights
from lamina.saving.saving_api import save_model as save_model
from lamina.saving.saving_api import save_weights as save_weights
from lamina.saving.serialization import (
    deserialize_keras_object as deserialize_keras_object,
)
from lamina.saving.serialization import (
    serialize_keras_object as serialize_keras_object,
)

__all__ = [
    "CustomObjectScope",
    "KerasFileEditor",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]
