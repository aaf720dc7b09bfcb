"""`compile()`'s arguments in Keras's serialized form, and back.

Keras records the arguments as given (a name stays a name, an object is
written with its config) and `compile_from_config` compiles from them and
builds the optimizer, so that saved optimizer variables can be loaded.
A `torch.optim` optimizer is recorded as the `TorchOptimizer` wrapping it
(its config names the torch class; Keras cannot read it). Arguments with
no Keras form (a torch loss module, a plain lambda) are recorded as None:
the user passes them again.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import torch

from lamina.optimizers.optimizer_variables import build_optimizer


def _has_keras_form(value: Any) -> bool:
    if isinstance(value, torch.optim.Optimizer) or (
        isinstance(value, type) and issubclass(value, torch.optim.Optimizer)
    ):
        return False
    if isinstance(value, torch.nn.Module) and not hasattr(value, "get_config"):
        return False
    return getattr(value, "__name__", None) != "<lambda>"


def serialize(arguments: dict) -> dict:
    """Each argument serialized as Keras writes it, or None."""
    from lamina.saving import serialization

    out = {}
    for key, value in arguments.items():
        try:
            ok = all(_has_keras_form(v) for v in _leaves(value))
            out[key] = (
                serialization.serialize_keras_object(value) if ok else None
            )
        except TypeError:  # an object without get_config
            out[key] = None
    return out


def _leaves(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    return [value]


def compile_from_config(model: Any, config: dict) -> None:
    """Compile `model` from `config` (as `get_compile_config` wrote it)
    and build its optimizer on the model's weights.

    Raises:
        ValueError: `config` names an argument `compile` does not take.
    """
    from lamina.saving import serialization

    accepted = set(inspect.signature(model.compile).parameters)
    unknown = sorted(set(config) - accepted)
    if unknown:
        raise ValueError(
            f"Unknown compile() argument(s) in the compile config of model "
            f"'{model.name}': {unknown}; expected some of {sorted(accepted)}."
        )
    arguments = serialization.deserialize_keras_object(dict(config))
    if arguments.get("optimizer") is None:
        arguments.pop("optimizer", None)
        warnings.warn(
            f"The compile config of model '{model.name}' records no "
            "optimizer; it is compiled with the default 'rmsprop'. Call "
            "`compile()` again with your optimizer.",
            stacklevel=3,
        )
    model.compile(**arguments)
    build_optimizer(model)
