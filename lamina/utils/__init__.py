"""`keras.utils`: data helpers, serialization registry, image files,
dataset builders, `plot_model`.

Names defined outside `lamina.utils` are imported on first use: the engine
imports `lamina.utils.tree`, and an eager import of `lamina.saving` here
would be circular.
"""

from __future__ import annotations

import gc
import importlib

from lamina.config import (
    disable_interactive_logging as disable_interactive_logging,
)
from lamina.config import (
    enable_interactive_logging as enable_interactive_logging,
)
from lamina.config import (
    is_interactive_logging_enabled as is_interactive_logging_enabled,
)
from lamina.config import set_random_seed as set_random_seed
from lamina.utils.config_object import Config as Config
from lamina.utils.graph_utils import get_source_inputs as get_source_inputs
from lamina.utils.graph_utils import is_keras_tensor as is_keras_tensor
from lamina.utils.numerical_utils import normalize as normalize
from lamina.utils.numerical_utils import to_categorical as to_categorical
from lamina.utils.progbar import Progbar as Progbar
from lamina.utils.py_dataset import PyDataset as PyDataset
from lamina.utils.sequence_utils import pad_sequences as pad_sequences

Sequence = PyDataset  # Keras's older name for the same class.

# Name → the module that defines it (imported on first use).
_LAZY = {
    "CustomObjectScope": "lamina.saving.registration",
    "custom_object_scope": "lamina.saving.registration",
    "get_custom_objects": "lamina.saving.registration",
    "get_registered_name": "lamina.saving.registration",
    "get_registered_object": "lamina.saving.registration",
    "register_keras_serializable": "lamina.saving.registration",
    "serialize_keras_object": "lamina.saving.serialization",
    "deserialize_keras_object": "lamina.saving.serialization",
    "pack_x_y_sample_weight": "lamina.trainers.data_adapters",
    "unpack_x_y_sample_weight": "lamina.trainers.data_adapters",
    "standardize_dtype": "lamina.ops._dtypes",
    "array_to_img": "lamina.utils.image_utils",
    "img_to_array": "lamina.utils.image_utils",
    "load_img": "lamina.utils.image_utils",
    "save_img": "lamina.utils.image_utils",
    "get_file": "lamina.utils.file_utils",
    "timeseries_dataset_from_array": "lamina.utils.dataset_utils",
    "split_dataset": "lamina.utils.dataset_utils",
    "image_dataset_from_directory": "lamina.utils.directory_datasets",
    "text_dataset_from_directory": "lamina.utils.directory_datasets",
    "audio_dataset_from_directory": "lamina.utils.directory_datasets",
    "plot_model": "lamina.utils.model_visualization",
    "FeatureSpace": "lamina.layers.preprocessing.feature_space",
    "model_to_dot": "lamina.utils.model_visualization",
}

__all__ = [
    "Config",
    "CustomObjectScope",
    "FeatureSpace",
    "Progbar",
    "PyDataset",
    "Sequence",
    "array_to_img",
    "audio_dataset_from_directory",
    "bounding_boxes",
    "clear_session",
    "custom_object_scope",
    "deserialize_keras_object",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "get_source_inputs",
    "image_dataset_from_directory",
    "img_to_array",
    "is_interactive_logging_enabled",
    "is_keras_tensor",
    "legacy",
    "load_img",
    "model_to_dot",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_model",
    "register_keras_serializable",
    "save_img",
    "serialize_keras_object",
    "set_random_seed",
    "split_dataset",
    "standardize_dtype",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]


def __getattr__(name: str):
    if name in ("legacy", "bounding_boxes"):
        return importlib.import_module("lamina.utils." + name)
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lamina.utils' has no attribute {name!r}")


def __dir__():
    return sorted(set(__all__) | set(globals()))


def clear_session(free_memory: bool = True) -> None:
    """Reset auto-naming (`dense`, `dense_1`, ...), as Keras does; with
    `free_memory`, also collect garbage and empty torch's CUDA cache."""
    import torch

    from lamina.engine import naming

    naming.reset_names()
    if free_memory:
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
