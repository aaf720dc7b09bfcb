"""Adapters for data that arrives batch by batch: `PyDataset`, torch
`DataLoader`/`Dataset`, and Python generators. Each batch is moved to the
device once, as it arrives; to a CUDA device through pinned memory,
without blocking the host (`transfer`)."""

from __future__ import annotations

import inspect
from typing import Any, Iterator

import torch

from lamina.trainers.data_adapters.array_data_adapter import (
    class_weights_to_sample_weights,
)
from lamina.trainers.data_adapters.array_data_adapter import to_tensor
from lamina.utils import tree
from lamina.utils.py_dataset import PyDataset


def is_iterable_source(x: Any) -> bool:
    return inspect.isgenerator(x) or (
        hasattr(x, "__next__") and hasattr(x, "__iter__")
    )


def transfer(t: Any, device: Any) -> Any:
    """`t` (a tensor, or text kept in NumPy) on `device`.

    From the CPU to a CUDA device the batch is copied into pinned memory
    and from there asynchronously (`non_blocking`): the host goes on
    queueing the step's kernels, which the stream runs after the copy,
    instead of waiting for a pageable copy to finish. (Array data is
    moved once per `fit`, whole, and does not come through here.)
    """
    if device is None or not isinstance(t, torch.Tensor):
        return t
    device = torch.device(device)
    if device.type == "cuda" and t.device.type == "cpu":
        return t.pin_memory().to(device, non_blocking=True)
    return t.to(device)


def _to_device(batch: Any, device, class_weight) -> tuple:
    if not isinstance(batch, (tuple, list)):
        batch = (batch,)
    batch = tuple(
        tree.map_structure(lambda a: transfer(to_tensor(a), device), b)
        for b in batch
    )
    if class_weight is not None and len(batch) == 2:
        batch = batch + (
            class_weights_to_sample_weights(batch[1], class_weight),
        )
    return batch


class PyDatasetAdapter:
    def __init__(
        self,
        dataset: PyDataset,
        shuffle: bool | str = False,
        device: Any = None,
        class_weight: Any = None,
    ):
        self.dataset = dataset
        self.shuffle = shuffle
        self.device = device
        self.class_weight = class_weight

    @property
    def num_batches(self) -> int:
        return len(self.dataset)

    def __iter__(self) -> Iterator[tuple]:
        order = list(range(len(self.dataset)))
        if self.shuffle:
            order = torch.randperm(len(order)).tolist()
        for i in order:
            yield _to_device(self.dataset[i], self.device, self.class_weight)

    def first_batch(self) -> tuple:
        return _to_device(self.dataset[0], self.device, self.class_weight)

    def on_epoch_end(self) -> None:
        self.dataset.on_epoch_end()

    def shard(self, world: int, rank: int, where: str) -> Any:
        """Each batch read in a shared order, this process's rows kept."""
        from lamina.trainers.data_adapters import sharded_iterables

        return sharded_iterables.ShardedPyDataset(self, world, rank, where)


class TorchDataAdapter:
    def __init__(
        self,
        data: Any,
        batch_size: int | None = None,
        shuffle: bool | str = False,
        device: Any = None,
        class_weight: Any = None,
    ):
        if isinstance(data, torch.utils.data.Dataset):
            data = torch.utils.data.DataLoader(
                data, batch_size=batch_size or 32, shuffle=bool(shuffle)
            )
        self.loader = data
        self.device = device
        self.class_weight = class_weight

    @property
    def num_batches(self) -> int | None:
        try:
            return len(self.loader)
        except TypeError:
            return None

    def __iter__(self) -> Iterator[tuple]:
        for batch in self.loader:
            yield _to_device(batch, self.device, self.class_weight)

    def shard(self, world: int, rank: int, where: str) -> Any:
        """A loader that reads only this process's samples (map-style
        datasets), else each batch split."""
        from lamina.trainers.data_adapters import sharded_iterables

        return sharded_iterables.shard_loader(self, world, rank, where)


class GeneratorAdapter:
    """A generator yields batches until exhausted; `steps_per_epoch` then
    cuts each epoch (the generator is shared across epochs, as in Keras)."""

    def __init__(
        self, generator: Any, device: Any = None, class_weight: Any = None
    ):
        self.generator = generator
        self.device = device
        self.class_weight = class_weight

    num_batches = None

    def __iter__(self) -> Iterator[tuple]:
        for batch in self.generator:
            yield _to_device(batch, self.device, self.class_weight)

    def shard(self, world: int, rank: int, where: str) -> Any:
        """Each batch (the same on every process) split."""
        from lamina.trainers.data_adapters import sharded_iterables

        return sharded_iterables.SlicedBatches(self, world, rank, where)
