"""Walk Keras 3's public namespaces and find the names lamina lacks.

Shared by `tests/api/test_api_coverage.py` (the gate) and
`scripts/api_gap.py` (prints the gap, regenerates the allow-list).
`keras.X.Y` maps to `lamina.X.Y`. When lamina has no module for a Keras
namespace, the gap holds the namespace itself (`keras.applications`), not
each of its names.
"""

from __future__ import annotations

import importlib
import os
import types

os.environ["KERAS_BACKEND"] = "torch"

import keras


def keras_namespaces() -> dict[str, types.ModuleType]:
    """Every public Keras namespace, by dotted name (`keras.ops.nn`)."""
    found: dict[str, types.ModuleType] = {}

    def walk(module, name):
        found[name] = module
        for attr in dir(module):
            value = getattr(module, attr)
            if (
                isinstance(value, types.ModuleType)
                and attr != "src"
                and not attr.startswith("_")
                and value.__name__.startswith("keras")
                and not value.__name__.startswith("keras.src")
                and f"{name}.{attr}" not in found
            ):
                walk(value, f"{name}.{attr}")

    walk(keras, "keras")
    return dict(sorted(found.items()))


def public_names(module: types.ModuleType) -> list[str]:
    # `keras.src` is Keras's private source tree, not API.
    return sorted(
        n for n in dir(module) if not n.startswith("_") and n != "src"
    )


def _lamina_module(keras_name: str):
    name = "lamina" + keras_name[len("keras") :]
    try:
        return importlib.import_module(name)
    except ImportError:
        parent, _, attr = name.rpartition(".")
        try:
            value = getattr(importlib.import_module(parent), attr, None)
        except ImportError:
            return None
        return value if isinstance(value, types.ModuleType) else None


def api_gap() -> list[str]:
    """The dotted Keras names (`keras.layers.JaxLayer`, or a whole
    namespace `keras.applications`) that lamina does not have."""
    gap: list[str] = []
    namespaces = keras_namespaces()
    missing_modules: list[str] = []
    for name, module in namespaces.items():
        if any(name.startswith(m + ".") for m in missing_modules):
            continue
        ours = _lamina_module(name)
        if ours is None:
            missing_modules.append(name)
            gap.append(name)
            continue
        for attr in public_names(module):
            if f"{name}.{attr}" in namespaces:
                continue  # a sub-namespace, checked on its own
            if not hasattr(ours, attr):
                gap.append(f"{name}.{attr}")
    return gap
