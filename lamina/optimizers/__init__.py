"""Optimizers (`keras.optimizers`): `get`, `serialize`, `deserialize` and
the built-in algorithms, plus `TorchOptimizer` for `torch.optim` ones.

The trainer calls, after `loss.backward()`,
`optimizer.apply([p.grad for p in params], params)` (equivalently
`optimizer.apply_gradients(zip(grads, params))`, or `optimizer.step()` which
reads `.grad` itself).
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.optimizers import legacy as legacy
from lamina.optimizers import schedules as schedules
from lamina.optimizers.adadelta import Adadelta as Adadelta
from lamina.optimizers.adafactor import Adafactor as Adafactor
from lamina.optimizers.adagrad import Adagrad as Adagrad
from lamina.optimizers.adam import Adam as Adam
from lamina.optimizers.adamax import Adamax as Adamax
from lamina.optimizers.adamw import AdamW as AdamW
from lamina.optimizers.ftrl import Ftrl as Ftrl
from lamina.optimizers.lamb import Lamb as Lamb
from lamina.optimizers.lion import Lion as Lion
from lamina.optimizers.loss_scale_optimizer import (
    LossScaleOptimizer as LossScaleOptimizer,
)
from lamina.optimizers.multi_optimizer import MultiOptimizer as MultiOptimizer
from lamina.optimizers.muon import Muon as Muon
from lamina.optimizers.nadam import Nadam as Nadam
from lamina.optimizers.optimizer import Optimizer as Optimizer
from lamina.optimizers.optimizer_map import OptimizerMap as OptimizerMap
from lamina.optimizers.rmsprop import RMSprop as RMSprop
from lamina.optimizers.schedule_free_adamw import (
    ScheduleFreeAdamW as ScheduleFreeAdamW,
)
from lamina.optimizers.sgd import SGD as SGD
from lamina.optimizers.torch_optimizer import TorchOptimizer as TorchOptimizer
from lamina.saving.object_registry import ObjectRegistry

__all__ = [
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lamb",
    "Lion",
    "LossScaleOptimizer",
    "MultiOptimizer",
    "Muon",
    "Nadam",
    "Optimizer",
    "OptimizerMap",
    "RMSprop",
    "SGD",
    "ScheduleFreeAdamW",
    "TorchOptimizer",
    "deserialize",
    "get",
    "legacy",
    "schedules",
    "serialize",
]

ALL_OBJECTS = (
    Optimizer,
    Adam,
    SGD,
    RMSprop,
    Adadelta,
    AdamW,
    Adagrad,
    Adamax,
    Nadam,
    Ftrl,
    Lion,
    Lamb,
    Adafactor,
    ScheduleFreeAdamW,
    Muon,
    TorchOptimizer,
    LossScaleOptimizer,
    MultiOptimizer,
    OptimizerMap,
)
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}
# Classes a bare name cannot build (they need an argument or are bases).
_NOT_BY_NAME = (
    Optimizer,
    TorchOptimizer,
    LossScaleOptimizer,
    MultiOptimizer,
    OptimizerMap,
)
_NAMES = [
    name for name, cls in ALL_OBJECTS_DICT.items() if cls not in _NOT_BY_NAME
]
_REGISTRY = ObjectRegistry(
    "optimizer",
    ALL_OBJECTS_DICT,
    expected=(
        f"an optimizer name (one of {sorted(_NAMES)}), a config dict, an "
        "Optimizer or a torch.optim optimizer"
    ),
    # A class is not an optimizer to train with (Keras refuses it too).
    instantiate=False,
    accept=lambda obj: isinstance(obj, Optimizer),
    fold_case=True,
)


def serialize(optimizer: Optimizer) -> dict:
    """Serialize an optimizer into Keras's `{"module", "class_name",
    "config", "registered_name"}` form.

    Example:

    >>> import lamina
    >>> lamina.optimizers.serialize(lamina.optimizers.SGD())["class_name"]
    'SGD'
    """
    return _REGISTRY.serialize(optimizer)


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """Rebuild an optimizer from `serialize`'s output (or Keras's).

    Built-in class names are matched case-insensitively, as in Keras.

    Example:

    >>> import lamina
    >>> opt = lamina.optimizers.deserialize(
    ...     {"class_name": "adam", "config": {"learning_rate": 0.01}})
    >>> type(opt).__name__, round(float(opt.learning_rate), 4)
    ('Adam', 0.01)
    """
    if not isinstance(config, dict):
        # Keras's `deserialize` takes a config only; `get` takes names.
        raise _REGISTRY.error(config)
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier: Any) -> Optimizer | None:
    """Resolve an optimizer from a name, a config dict, an optimizer, or a
    `torch.optim` optimizer (instance or class, wrapped in
    `TorchOptimizer`).

    Example:

    >>> import torch, lamina
    >>> type(lamina.optimizers.get("rmsprop")).__name__
    'RMSprop'
    >>> type(lamina.optimizers.get(torch.optim.AdamW)).__name__
    'TorchOptimizer'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, torch.optim.Optimizer) or (
        isinstance(identifier, type)
        and issubclass(identifier, torch.optim.Optimizer)
    ):
        return TorchOptimizer(identifier)
    if (
        isinstance(identifier, str)
        and ALL_OBJECTS_DICT.get(identifier.lower()) in _NOT_BY_NAME
    ):
        raise _REGISTRY.error(identifier)
    return _REGISTRY.get(identifier)
