"""A layer's weights listed in Keras's order, and the passes over them.

Keras's order (`weights`): a layer's own trainable weights, its own
non-trainable ones, then each sublayer's in assignment order, every tensor
once. Plain torch submodules contribute their parameters, then buffers.
`Layer.weights`, `trainable_weights`, `apply_constraints` and
`reset_parameters` are these functions; the metadata they read lives in
`layer._weight_info` (`weights.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch
from torch import nn

from lamina.engine.weights import attr_of, find_tensor, is_layer
from lamina.utils.dtype_utils import standardize_dtype


def walk_layers(layer: nn.Module) -> Iterator[nn.Module]:
    """`layer`, then each tracked submodule once, depth first."""
    seen = set()

    def visit(module: nn.Module) -> Iterator[nn.Module]:
        for child in module.children():
            if id(child) in seen:
                continue
            seen.add(id(child))
            yield child
            yield from visit(child)

    yield layer
    yield from visit(layer)


def own_weights(layer: Any, trainable: bool | None = None) -> list[Any]:
    """`layer`'s own weight tensors, in `_weight_info` order, optionally
    only those declared (not) trainable."""
    out = []
    for attr, meta in layer._weight_info.items():
        tensor = find_tensor(layer, attr)
        if tensor is None:
            continue
        if trainable is None or meta["trainable"] == trainable:
            out.append(tensor)
    return out


def collect(layer: nn.Module, trainable: bool | None) -> list[Any]:
    """All weights of `layer` and its submodules in Keras order, or only
    the (non-)trainable ones; each tensor once."""
    out, seen = [], set()
    for module in walk_layers(layer):
        if is_layer(module):
            if trainable is None:
                tensors = own_weights(module, True) + own_weights(module, False)
            else:
                tensors = [
                    w
                    for w in own_weights(module)
                    if is_trainable_weight(module, w) == trainable
                ]
        else:
            tensors = list(module.parameters(recurse=False)) + list(
                module.buffers(recurse=False)
            )
            if trainable is not None:
                tensors = [
                    w for w in tensors if _torch_trainable(w) == trainable
                ]
        for t in tensors:
            if id(t) not in seen:
                seen.add(id(t))
                out.append(t)
    return out


def is_trainable_weight(layer: Any, tensor: torch.Tensor) -> bool:
    """Whether training updates `tensor`, a weight of `layer`: declared
    trainable, and its layer (an alias's owner too) trainable."""
    attr = attr_of(layer, tensor)
    if attr is None or not layer._trainable:
        return False
    alias = layer._weight_info[attr].get("alias")
    if alias is not None:
        return is_trainable_weight(alias[0], tensor)
    return bool(layer._weight_info[attr]["trainable"])


def all_weights(layer: nn.Module) -> list[Any]:
    """All weights, Keras order: own trainable, own non-trainable, then
    sublayers'."""
    return collect(layer, None)


def trainable_weights(layer: nn.Module) -> list[Any]:
    """The weights training updates, in Keras order."""
    return collect(layer, True)


def non_trainable_weights(layer: nn.Module) -> list[Any]:
    """The weights training leaves alone, in Keras order."""
    return collect(layer, False)


def sync_requires_grad(layer: Any) -> None:
    """Make each own weight's `requires_grad` follow `trainable`."""
    for attr, meta in layer._weight_info.items():
        p = layer._parameters.get(attr)
        if p is not None:
            p.requires_grad_(layer._trainable and meta["trainable"])


def regularization_losses(layer: Any) -> list[Any]:
    """The regularizers' penalties on `layer`'s own weights."""
    out = []
    for attr, meta in layer._weight_info.items():
        reg = meta["regularizer"]
        if reg is not None:
            out.append(reg(getattr(layer, attr)))
    return out


def weight_metadata(layer: nn.Module) -> list[tuple[Any, str, dict[str, Any]]]:
    """(owner layer, attribute, info) for every weight, Keras order."""
    out = []
    for module in walk_layers(layer):
        if is_layer(module):
            for flag in (True, False):
                for attr, meta in module._weight_info.items():
                    # An alias's owner applies its constraint once.
                    if meta["trainable"] == flag and not meta.get("alias"):
                        out.append((module, attr, meta))
    return out


def apply_constraints(layer: nn.Module) -> None:
    """Apply every weight constraint in place (after an update)."""
    with torch.no_grad():
        for owner, attr, meta in weight_metadata(layer):
            if meta["constraint"] is not None:
                t = getattr(owner, attr)
                t.copy_(meta["constraint"](t))


def reset_parameters(layer: nn.Module) -> None:
    """Re-run every weight's initializer (PyTorch's convention)."""
    with torch.no_grad():
        for owner, attr, meta in weight_metadata(layer):
            t = getattr(owner, attr)
            value = meta["initializer"](
                tuple(t.shape), dtype=standardize_dtype(t.dtype)
            )
            t.copy_(torch.as_tensor(value, dtype=t.dtype).to(t.device))


def _torch_trainable(t: torch.Tensor) -> bool:
    return isinstance(t, nn.Parameter) and t.requires_grad
