"""Sharded weights (`DataParallel(fsdp=True)`), on torch's `fully_shard`.

Each lamina layer that owns weights becomes its own FSDP unit, then the
model: every rank keeps `1/world_size` of each weight, of its gradient and
of the optimizer's slots (the parameters become `DTensor`s, and lamina's
optimizers update them with the same `torch._foreach_*` code). A layer's
full weights exist only while it runs (gathered before its forward and
its backward, freed after), and gradients are reduce-scattered (averaged)
as they are produced.

Non-trainable weights (moving statistics) are not sharded: they change
in the forward pass, and stay whole on every rank (averaged once per
epoch, as without FSDP).

`full_weights(model)` gathers every weight on every rank for a block:
`ModelCheckpoint` (through `chief.run_on_chief`) saves inside it, so rank
0 writes the full model; to save by hand, call
`run_on_chief(lambda: model.save(path), "saving", model)`. Outside that
block `get_weights()` / `save()` meet sharded `DTensor`s and fail, and
writing weights back (`set_weights`, `load_weights`,
`EarlyStopping(restore_best_weights=True)`) is not supported.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import torch
from torch import nn

from lamina.runtime import chief


def is_sharded(model: nn.Module) -> bool:
    """Whether `model` was sharded by `shard_model`."""
    return bool(getattr(model, "_lamina_fsdp_units", None))


def _units(model: nn.Module) -> list[nn.Module]:
    """Sub-modules that own weights directly, innermost first."""
    units = []
    for module in model.modules():
        if module is model:
            continue
        if next(module.parameters(recurse=False), None) is not None:
            units.append(module)
    return units[::-1]


class ShardedModel:
    """The handle `DataParallel.prepare` keeps for a sharded model (FSDP
    averages the gradients itself: `local_weight` is not used, so ranks
    should hold equal shares of each batch)."""

    local_weight = 1.0

    def __init__(self, model: nn.Module) -> None:
        self.model = model

    def remove(self) -> None:
        """FSDP cannot be taken off a model; nothing to do."""


def shard_model(model: nn.Module) -> ShardedModel:
    """Shard `model`'s weights across the ranks of the default group."""
    from torch.distributed.fsdp import fully_shard

    if is_sharded(model):
        return ShardedModel(model)
    units = _units(model) + [model]
    classes = [type(unit) for unit in units]
    # Non-trainable weights (moving statistics) change in the forward
    # pass; sharded, those changes would be lost. They stay whole on each
    # rank and are averaged once per epoch (`model_sync.average_state`).
    frozen = {p for p in model.parameters() if not p.requires_grad}
    for unit in units:
        fully_shard(unit, ignored_params=frozen or None)
    object.__setattr__(model, "_lamina_fsdp_units", list(zip(units, classes)))
    model._step_cache = None
    return ShardedModel(model)


@contextlib.contextmanager
def full_weights(model: nn.Module) -> Iterator[None]:
    """Every rank holds `model`'s full weights inside the block (all ranks
    must enter it); a no-op for a model that is not sharded.

    Example:

    >>> import torch
    >>> from lamina.distribute.fsdp import full_weights
    >>> with full_weights(torch.nn.Linear(2, 2)):
    ...     pass
    """
    units = getattr(model, "_lamina_fsdp_units", None)
    if not units:
        yield
        return
    with torch.no_grad():
        for unit, _ in units:
            unit.unshard()
        saved = _gather_optimizer_state(getattr(model, "optimizer", None))
        sharded_classes = [type(unit) for unit, _ in units]
        for unit, cls in units:
            # fully_shard swapped each class for an `FSDP<Name>` subclass;
            # saving names layers and configs by class, so the original
            # classes come back while the full weights are in place.
            unit.__class__ = cls
        try:
            yield
        finally:
            for (unit, _), cls in zip(units, sharded_classes):
                unit.__class__ = cls
            for optimizer, variables in saved:
                optimizer._variables = variables
            for unit, _ in units:
                unit.reshard()


def _gather_optimizer_state(optimizer) -> list:
    """Swap the optimizer's sharded slots for full copies (saving reads
    `optimizer.variables`); returns what to put back."""
    from torch.distributed.tensor import DTensor

    saved = []
    for opt in (optimizer, getattr(optimizer, "inner_optimizer", None)):
        variables = getattr(opt, "_variables", None)
        if variables is None:
            continue
        saved.append((opt, variables))
        opt._variables = [
            v.full_tensor() if isinstance(v, DTensor) else v for v in variables
        ]
    return saved


# Chief-only work on a sharded model (a checkpoint) gathers it first.
if full_weights not in chief.FULL_WEIGHTS:
    chief.FULL_WEIGHTS.append(full_weights)

__all__ = ["ShardedModel", "full_weights", "is_sharded", "shard_model"]
