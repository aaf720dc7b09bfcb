"""Small collective helpers over the default process group.

Each takes tensors on any device and moves them to the device the
backend speaks (the CPU for gloo, this rank's GPU for NCCL) and back, and
reports failures through `environment.collective`, so that callers deal
with neither. Many small tensors travel as one flat buffer per dtype
(one message instead of one per tensor).
"""

from __future__ import annotations

from typing import Any

from typing import Sequence

import torch
import torch.distributed as dist

from lamina.runtime.environment import collective
from lamina.typing import DTypeLike


def world() -> int:
    """The number of ranks in the default group."""
    return dist.get_world_size()


def comm_device() -> torch.device:
    """The device the default group's backend communicates from."""
    if dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def _to_comm(tensor: torch.Tensor) -> torch.Tensor:
    device = comm_device()
    return tensor if tensor.device == device else tensor.to(device)


def all_reduce(
    tensor: torch.Tensor, what: str, op: Any = dist.ReduceOp.SUM
) -> torch.Tensor:
    """The reduction of `tensor` over all ranks (a new tensor, on
    `tensor`'s device)."""
    buffer = _to_comm(tensor.detach()).clone()
    with collective(what):
        dist.all_reduce(buffer, op=op)
    return buffer.to(tensor.device)


def broadcast(tensor: torch.Tensor, what: str, src: int = 0) -> torch.Tensor:
    """Rank `src`'s `tensor` on every rank (a tensor on `tensor`'s
    device; the same shape on every rank is required)."""
    buffer = _to_comm(tensor.detach()).contiguous()
    with collective(what):
        dist.broadcast(buffer, src=src)
    return buffer.to(tensor.device)


def all_gather(tensor: torch.Tensor, what: str) -> list[torch.Tensor]:
    """Every rank's `tensor` (same shape on every rank), by rank."""
    buffer = _to_comm(tensor.detach()).contiguous()
    out = [torch.empty_like(buffer) for _ in range(dist.get_world_size())]
    with collective(what):
        dist.all_gather(out, buffer)
    return [t.to(tensor.device) for t in out]


def all_gather_ints(values: Sequence[int], what: str) -> list[list[int]]:
    """Every rank's list of integers (same length on every rank)."""
    tensor = torch.tensor(list(values), dtype=torch.int64)
    return [t.tolist() for t in all_gather(tensor, what)]


def any_rank(flag: bool, what: str) -> bool:
    """Whether `flag` is true on at least one rank."""
    tensor = torch.tensor([1 if flag else 0], dtype=torch.int32)
    return bool(all_reduce(tensor, what, op=dist.ReduceOp.MAX).item())


def barrier(what: str) -> None:
    """Wait until every rank reaches this point."""
    any_rank(False, what)  # A collective honours the group's timeout.


def flatten(
    tensors: Sequence[torch.Tensor], dtype: DTypeLike = None
) -> torch.Tensor:
    """One flat tensor holding `tensors` (cast to `dtype` when given)."""
    parts = [t.detach().reshape(-1) for t in tensors]
    if dtype is not None:
        parts = [p.to(dtype) for p in parts]
    return torch.cat(parts) if parts else torch.empty(0, dtype=dtype)


def unflatten_into(flat: torch.Tensor, tensors: Sequence[torch.Tensor]) -> None:
    """Copy consecutive pieces of `flat` into `tensors`, in place."""
    offset = 0
    with torch.no_grad():
        for t in tensors:
            n = t.numel()
            t.copy_(flat[offset : offset + n].view_as(t))
            offset += n


def group_by_dtype(tensors: Sequence[torch.Tensor]) -> dict:
    """`{dtype: [tensor, ...]}`, in order of first appearance."""
    groups: dict = {}
    for t in tensors:
        groups.setdefault(t.dtype, []).append(t)
    return groups


__all__ = [
    "all_gather",
    "all_gather_ints",
    "all_reduce",
    "any_rank",
    "barrier",
    "broadcast",
    "comm_device",
    "flatten",
    "group_by_dtype",
    "unflatten_into",
    "world",
]
