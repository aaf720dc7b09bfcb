"""Small datasets: `digits` ships inside lamina; Keras's loaders (`mnist`,
`fashion_mnist`, `cifar10`, `imdb`, `boston_housing`, ...) read Keras's
cache folder and download when online."""

from __future__ import annotations

import importlib

_MODULES = (
    "digits",
    "mnist",
    "fashion_mnist",
    "cifar10",
    "cifar100",
    "imdb",
    "reuters",
    "boston_housing",
    "california_housing",
)

__all__ = list(_MODULES)


def __getattr__(name: str):
    if name in _MODULES:
        return importlib.import_module("lamina.datasets." + name)
    raise AttributeError(f"module 'lamina.datasets' has no attribute {name!r}")
