"""lamina: the Keras 3 API, built natively on PyTorch.

    import lamina as keras

Submodules are imported on first use, so `import lamina` stays fast.
"""

from __future__ import annotations

import importlib

from lamina.version import __version__ as __version__

_SUBMODULES = (
    "activations",
    "applications",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "datasets",
    "distribute",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "ops",
    "optimizers",
    "regularizers",
    "saving",
    "utils",
    "random",
    "tree",
    "preprocessing",
    "dtype_policies",
    "legacy",
    "quantizers",
    "export",
    "visualization",
    "wrappers",
    "distillation",
    "distribution",
)
# Top-level names and the submodule that defines each.
_NAMES = {
    "Sequential": "lamina.models",
    "Model": "lamina.models",
    "Functional": "lamina.models",
    "Input": "lamina.layers",
    "InputSpec": "lamina.layers",
    "Layer": "lamina.layers",
    "Variable": "lamina.engine.variable",
    "DTypePolicy": "lamina.engine.dtype_policy",
    "FloatDTypePolicy": "lamina.engine.dtype_policy",
    "Loss": "lamina.losses",
    "Metric": "lamina.metrics",
    "Optimizer": "lamina.optimizers",
    "Initializer": "lamina.initializers",
    "Regularizer": "lamina.regularizers",
    "Constraint": "lamina.constraints",
    "Quantizer": "lamina.quantizers",
    "KerasTensor": "lamina.engine.symbolic",
    "Operation": "lamina.engine.base_operation",
    "Function": "lamina.engine.function",
    "name_scope": "lamina.engine.name_scope",
    "device": "lamina.engine.device_scope",
    "StatelessScope": "lamina.engine.stateless_scope",
    "SymbolicScope": "lamina.engine.symbolic_scope",
    "RematScope": "lamina.engine.remat",
    "remat": "lamina.engine.remat",
}

__all__ = sorted(_SUBMODULES + tuple(_NAMES) + ("__version__", "version"))


def version() -> str:
    """The lamina version string, as `keras.version()` returns Keras's.

    This function replaces the `lamina.version` submodule as the package
    attribute (the submodule stays importable by its full name).

    >>> import lamina
    >>> lamina.version() == lamina.__version__
    True
    """
    return __version__


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module("lamina." + name)
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'lamina' has no attribute {name!r}")


def __dir__():
    return __all__
