"""Where a new weight lives: the seam through which a distribution
(`lamina.distribution.ModelParallel`) shards weights as layers create
them, as Keras lays out each variable it creates under a distribution.

`engine.weights.add_weight` passes every new `Variable` (named, with its
path) to `place`; with no placer registered it is returned as it is.
`lamina.distribution` registers its placer when imported.
"""

from __future__ import annotations

from typing import Any, Callable

import torch
from torch import nn

from lamina.utils import sharded_copies

_PLACER: list[Callable[[Any], Any]] = []


def set_placer(placer: Callable[[Any], Any]) -> None:
    """Make `placer(variable) -> tensor` decide where new weights live."""
    _PLACER[:] = [placer]


def place(variable: Any) -> Any:
    """The weight to register for `variable` (itself, or a sharded copy)."""
    return _PLACER[0](variable) if _PLACER else variable


def assign(weight: torch.Tensor, value: torch.Tensor) -> None:
    """Copy `value` (the whole weight, any device) into `weight` in place;
    a sharded weight (a DTensor) keeps only its own shard of it. Every
    rank must call this for the same weights in the same order (a sharded
    weight takes rank 0's value, as `distribute_tensor` does)."""
    with torch.no_grad():
        if not sharded_copies.is_sharded(weight):
            weight.copy_(value.to(weight.device))
            return
        from torch.distributed.tensor import distribute_tensor

        shards = distribute_tensor(
            value.to(weight.dtype), weight.device_mesh, weight.placements
        )
        weight.to_local().copy_(shards.to_local())


def meta_copy(value: torch.Tensor) -> Any:
    """A weight or buffer on the meta device, for a shape trace. A placed
    (sharded) weight, a DTensor, traces at its global shape as a plain
    meta Parameter."""
    # A tensor subclass made a parameter (`_is_param`), such as a DTensor,
    # is a Parameter to isinstance but not by class.
    if isinstance(value, nn.Parameter) and not issubclass(
        type(value), nn.Parameter
    ):
        return nn.Parameter(
            torch.empty(value.shape, dtype=value.dtype, device="meta"),
            value.requires_grad,
        )
    meta = value.to("meta")
    if isinstance(value, nn.Parameter):
        meta = type(value)(meta, value.requires_grad)
    return meta
