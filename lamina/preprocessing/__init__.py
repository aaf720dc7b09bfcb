"""`keras.preprocessing`: image and sequence helpers and the dataset
builders, under the names Keras exposes them."""

import importlib

from lamina.preprocessing import image as image
from lamina.preprocessing import sequence as sequence

_LAZY = {
    "image_dataset_from_directory": "lamina.utils.directory_datasets",
    "text_dataset_from_directory": "lamina.utils.directory_datasets",
    "timeseries_dataset_from_array": "lamina.utils.dataset_utils",
}

__all__ = ["image", "sequence"] + list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(
        f"module 'lamina.preprocessing' has no attribute {name!r}"
    )


def __dir__():
    return sorted(__all__)
