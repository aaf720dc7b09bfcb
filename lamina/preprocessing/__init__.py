"""`keras.preprocessing`: image and sequence helpers and the dataset
builders, under the names Keras exposes them."""

import importlib

from lamina.preprocessing import image as image
from lamina.preprocessing import sequence as sequence

_LAZY: dict = {}

__all__ = ["image", "sequence"] + list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(
        f"module 'lamina.preprocessing' has no attribute {name!r}"
    )


def __dir__():
    return sorted(__all__)
