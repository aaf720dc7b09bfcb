"""How `TorchOptimizer`'s config names torch classes: the optimizer and
scheduler classes are written by name and looked up again only in
`custom_objects`, `torch.optim` and `torch.optim.lr_scheduler`."""

from __future__ import annotations

from typing import Any, Callable

import torch


def is_optimizer_class(obj: Any) -> bool:
    """Whether `obj` is a `torch.optim.Optimizer` class."""
    return isinstance(obj, type) and issubclass(obj, torch.optim.Optimizer)


def jsonable(value: Any) -> Any:
    """An optimizer keyword argument as JSON can hold it."""
    if isinstance(value, torch.Tensor):
        return value.tolist()
    if isinstance(value, tuple):
        return list(value)
    return value


def lookup_class(
    name: str, module: Any, base: type, custom_objects: dict
) -> Callable:
    """The class `name` from `custom_objects`, else from `module` (and
    nothing else is imported); it must subclass `base`."""
    obj = custom_objects.get(name, getattr(module, name, None))
    if not (isinstance(obj, type) and issubclass(obj, base)):
        raise ValueError(
            f"Could not find the torch class '{name}': expected a subclass "
            f"of {base.__name__} in {module.__name__} or `custom_objects`."
        )
    return obj
