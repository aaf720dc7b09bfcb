"""Whole copies of sharded weights (torch DTensors), gathered by every
rank together for work that only rank 0 then does.

Reading a sharded weight whole (`full_tensor()`) is a collective: every
rank must take part. Writing a file is rank 0's work alone
(`lamina.runtime.chief`), so before it all ranks gather the model's
sharded weights inside `gathered(...)`, and `whole` (which
`dtype_utils.tensor_to_numpy` calls) hands rank 0 those copies.
"""

from __future__ import annotations

import contextlib
from typing import Iterable, Iterator

import torch

_COPIES: dict[int, torch.Tensor] = {}


def is_sharded(tensor: object) -> bool:
    """Whether `tensor` is a DTensor (duck-typed: importing
    `torch.distributed.tensor` costs ~0.3 s)."""
    return hasattr(tensor, "full_tensor") and hasattr(tensor, "placements")


def whole(tensor: torch.Tensor) -> torch.Tensor:
    """`tensor` itself, or the whole of a sharded one (the copy gathered
    for the current block, else gathered now: a collective)."""
    if not is_sharded(tensor):
        return tensor
    copy = _COPIES.get(id(tensor))
    return copy if copy is not None else tensor.full_tensor()  # type: ignore[attr-defined]


@contextlib.contextmanager
def gathered(tensors: Iterable[torch.Tensor]) -> Iterator[None]:
    """Inside the block, `whole` returns copies of the sharded `tensors`
    gathered on entry (every rank must enter, with the same tensors in the
    same order)."""
    keys = []
    with torch.no_grad():
        for tensor in tensors:
            if is_sharded(tensor) and id(tensor) not in _COPIES:
                _COPIES[id(tensor)] = tensor.full_tensor()  # type: ignore[attr-defined]
                keys.append(id(tensor))
    try:
        yield
    finally:
        for key in keys:
            _COPIES.pop(key, None)
