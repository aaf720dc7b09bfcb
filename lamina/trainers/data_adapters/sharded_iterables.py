"""Each rank's share of batches that arrive one by one.

- A torch `DataLoader` over a map-style `Dataset` is rebuilt with a batch
  sampler that splits each global batch's *indices*: every rank loads only
  its own samples. The epoch's index lists are drawn as a single process
  draws them, then broadcast from rank 0 (see `sharding`).
- A `PyDataset` is read in the same (shared) batch order on every rank and
  each batch is split.
- Generators and iterable-style datasets must yield the same batches on
  every rank (the same script reading the same files); each batch is
  split. A batch with fewer samples than ranks cannot be split and is an
  error (for a `DataLoader`, `drop_last=True` avoids a small last batch).
"""

from __future__ import annotations

from typing import Any, Iterator, Sized, cast

import torch
from torch.utils.data import BatchSampler, DataLoader, IterableDataset

from lamina.trainers.data_adapters.sharding import check_batch_size
from lamina.trainers.data_adapters.sharding import check_same_data
from lamina.trainers.data_adapters.sharding import merge_small
from lamina.trainers.data_adapters.sharding import part
from lamina.trainers.data_adapters.sharding import shared
from lamina.trainers.data_adapters.iterable_adapters import TorchDataAdapter
from lamina.trainers.data_adapters.iterable_adapters import _to_device
from lamina.utils import tree


class SlicedBatches:
    """Split each batch of `adapter` and keep this rank's part."""

    def __init__(self, adapter: Any, world: int, rank: int, where: str) -> None:
        self.adapter = adapter
        self.world = world
        self.rank = rank
        self.where = where

    @property
    def num_batches(self) -> int | None:
        return self.adapter.num_batches

    def __iter__(self) -> Iterator[tuple]:
        for batch in self.adapter:
            yield self._slice(batch)

    def on_epoch_end(self) -> None:
        if hasattr(self.adapter, "on_epoch_end"):
            self.adapter.on_epoch_end()

    def _slice(self, batch: Any) -> Any:
        leaves = [
            t
            for t in tree.flatten(batch)
            if isinstance(t, torch.Tensor) and t.ndim
        ]
        rows = int(leaves[0].shape[0]) if leaves else 0
        if rows < self.world:
            raise ValueError(
                f"lamina.distribute: a batch passed to {self.where} has "
                f"{rows} samples, fewer than the number of processes "
                f"({self.world}), so it cannot be split across them. Make "
                f"every batch hold at least {self.world} samples (with a "
                "DataLoader, `drop_last=True` drops a small last batch)."
            )
        lo, hi = part(rows, self.world, self.rank)

        def take(t):
            if isinstance(t, torch.Tensor) and t.ndim and t.shape[0] == rows:
                return t[lo:hi]
            return t

        return tree.map_structure(take, batch)


class ShardedPyDataset(SlicedBatches):
    """A `PyDataset` read in rank 0's batch order, each batch split."""

    def __iter__(self) -> Iterator[tuple]:
        a = self.adapter
        order = list(range(len(a.dataset)))
        if a.shuffle:
            order = shared(
                torch.randperm(len(order)), "the shuffle of PyDataset batches"
            ).tolist()
        for i in order:
            yield self._slice(
                _to_device(a.dataset[i], a.device, a.class_weight)
            )


class SharedBatchSampler:
    """Rank 0's global batches of `inner`; this rank's part of each."""

    def __init__(self, inner: Any, world: int, rank: int) -> None:
        self.inner = inner
        self.world = world
        self.rank = rank

    def __len__(self) -> int:
        inner = self.inner
        if isinstance(inner, BatchSampler) and not inner.drop_last:
            # `len(inner)` needs a sized sampler too.
            last = len(cast(Sized, inner.sampler)) % inner.batch_size
            if 0 < last < self.world and len(inner) > 1:
                return len(inner) - 1  # merged into the batch before
        return len(inner)

    def __iter__(self) -> Iterator[list]:
        batches = [list(b) for b in self.inner]
        sizes = [len(b) for b in batches]
        check_same_data(
            [len(sizes), sum(sizes)],
            ["batches", "samples"],
            "DataLoader batches",
        )
        flat = torch.tensor(
            sizes + [i for b in batches for i in b], dtype=torch.int64
        )
        flat = shared(flat, "the DataLoader's batches")
        sizes = merge_small(flat[: len(sizes)].tolist(), self.world)
        indices = flat[len(batches) :]
        start = 0
        for size in sizes:
            lo, hi = part(size, self.world, self.rank)
            yield indices[start + lo : start + hi].tolist()
            start += size


def shard_loader(
    adapter: TorchDataAdapter, world: int, rank: int, where: str
) -> Any:
    """A `TorchDataAdapter` whose loader yields this rank's parts."""
    loader = adapter.loader
    if loader.batch_size is not None:
        check_batch_size(loader.batch_size, world, where)
    if (
        isinstance(loader.dataset, IterableDataset)
        or loader.batch_sampler is None
    ):
        return SlicedBatches(adapter, world, rank, where)
    workers = loader.num_workers
    rebuilt = DataLoader(
        loader.dataset,
        batch_sampler=SharedBatchSampler(loader.batch_sampler, world, rank),
        num_workers=workers,
        collate_fn=loader.collate_fn,
        pin_memory=loader.pin_memory,
        timeout=loader.timeout,
        worker_init_fn=loader.worker_init_fn,
        multiprocessing_context=loader.multiprocessing_context
        if workers
        else None,
        generator=loader.generator,
        prefetch_factor=loader.prefetch_factor if workers else None,
        persistent_workers=loader.persistent_workers,
    )
    return TorchDataAdapter(
        rebuilt, device=adapter.device, class_weight=adapter.class_weight
    )


__all__ = [
    "SharedBatchSampler",
    "ShardedPyDataset",
    "SlicedBatches",
    "shard_loader",
]
