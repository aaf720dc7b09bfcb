"""Keeping the model the same on every rank.

- `check_same_model`: before training, all ranks compare a small signature
  of their model (number of weights, number of scalars, a hash of the
  names, shapes and dtypes), so that a script that builds different models
  on different ranks fails at once, on every rank, with both descriptions
  side by side, instead of hanging or averaging unrelated gradients.
- `broadcast_state`: rank 0's weights and buffers are copied to the
  others, so that all start from the same point even if each rank
  initialised its own model at random (as DDP does).
- `average_state`: non-trainable floating state (BatchNormalization's
  moving statistics) is averaged across ranks once per epoch; the moving
  averages are linear in the batch statistics, so averaging them at the
  end equals averaging them after every step.
"""

from __future__ import annotations

from typing import Any

import hashlib

import torch

from lamina.runtime import collectives
from lamina.runtime.environment import rank


def _state(model) -> list[tuple[str, torch.Tensor]]:
    return list(model.state_dict(keep_vars=True).items())


def signature(model: Any) -> tuple[int, int, int]:
    """(number of tensors, number of scalars, hash of names/shapes/dtypes)."""
    state = _state(model)
    text = ";".join(f"{name}:{tuple(t.shape)}:{t.dtype}" for name, t in state)
    digest = hashlib.sha256(text.encode()).digest()
    return (
        len(state),
        sum(t.numel() for _, t in state),
        int.from_bytes(digest[:7], "little"),
    )


def check_same_model(model: Any) -> None:
    """Raise `ValueError` on every rank when the ranks' models differ."""
    mine = signature(model)
    everyone = collectives.all_gather_ints(
        mine, "the start-of-training check that every rank has the same model"
    )
    if all(s == everyone[0] for s in everyone):
        return
    lines = "; ".join(
        f"rank {r}: {s[0]} weight tensors, {s[1]:,} scalars"
        + ("" if s[2] == everyone[0][2] else " (different names/shapes)")
        for r, s in enumerate(everyone)
    )
    raise ValueError(
        f"lamina.distribute: model '{getattr(model, 'name', model)}' "
        f"differs across ranks ({lines}). Every rank must build the same "
        "model (same layers, shapes and dtypes): check that the script "
        "does not build the model differently depending on the rank or "
        f"on data that differs between ranks. (Seen on rank {rank()}.)"
    )


def broadcast_state(model: Any) -> None:
    """Copy rank 0's weights and buffers to every other rank, in place."""
    tensors = [t for _, t in _state(model)]
    for group in collectives.group_by_dtype(tensors).values():
        flat = collectives.flatten(group)
        flat = collectives.broadcast(
            flat, "the start-of-training copy of rank 0's weights"
        )
        collectives.unflatten_into(flat, group)


def _averaged_state(model) -> list[torch.Tensor]:
    from torch.distributed.tensor import DTensor

    trainable = {id(p) for p in model.parameters() if p.requires_grad}
    # Sharded (FSDP) tensors differ by design across ranks: left alone.
    return [
        t
        for _, t in _state(model)
        if id(t) not in trainable
        and t.is_floating_point()
        and not isinstance(t, DTensor)
    ]


def average_state(model: Any) -> None:
    """Average non-trainable floating weights and buffers across ranks."""
    tensors = _averaged_state(model)
    if not tensors:
        return
    # float64 keeps a value that is the same on every rank exactly as it
    # is (W * a and then / W are exact for float32 `a`).
    flat = collectives.flatten(tensors, dtype=torch.float64)
    flat = collectives.all_reduce(
        flat, "the end-of-epoch average of non-trainable weights"
    )
    flat.div_(torch.distributed.get_world_size())
    collectives.unflatten_into(flat, tensors)


__all__ = ["average_state", "broadcast_state", "check_same_model", "signature"]
