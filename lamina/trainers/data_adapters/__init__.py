"""Data adapters: one per input kind, behind `get_data_adapter`.

- arrays (NumPy, torch tensors, lists/dicts of them): moved to the device
  once, batches sliced on the device;
- `torch.utils.data.DataLoader` / `Dataset`;
- Python generators and iterators;
- `PyDataset` (Keras's `Sequence`).
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from lamina.trainers.data_adapters.iterable_adapters import GeneratorAdapter
from lamina.trainers.data_adapters.iterable_adapters import PyDataset
from lamina.trainers.data_adapters.iterable_adapters import PyDatasetAdapter
from lamina.trainers.data_adapters.iterable_adapters import TorchDataAdapter
from lamina.trainers.data_adapters.iterable_adapters import is_iterable_source


def get_data_adapter(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    batch_size: int | None = None,
    shuffle: bool | str = False,
    steps: int | None = None,
    device: Any = None,
    class_weight: dict | None = None,
) -> Any:
    """The adapter for `x` (and `y`, `sample_weight`)."""
    from lamina.utils.dataset import Dataset

    if isinstance(x, Dataset):
        # Already batched by the dataset builders (Keras's tf.data form);
        # a DataLoader around it would batch again.
        _no_y("a lamina Dataset", y, sample_weight)
        return TorchDataAdapter(
            _Batches(x), device=device, class_weight=class_weight
        )
    if isinstance(x, PyDataset):
        _no_y("a PyDataset", y, sample_weight)
        return PyDatasetAdapter(
            x, shuffle=shuffle, device=device, class_weight=class_weight
        )
    if isinstance(x, (torch.utils.data.DataLoader, torch.utils.data.Dataset)):
        _no_y("a torch DataLoader/Dataset", y, sample_weight)
        return TorchDataAdapter(
            x,
            batch_size=batch_size,
            shuffle=shuffle,
            device=device,
            class_weight=class_weight,
        )
    if is_iterable_source(x):
        _no_y("a generator", y, sample_weight)
        return GeneratorAdapter(x, device=device, class_weight=class_weight)
    return ArrayDataAdapter(
        x,
        y,
        sample_weight,
        batch_size=batch_size,
        shuffle=shuffle,
        device=device,
        class_weight=class_weight,
    )


class _Batches:
    """A lamina Dataset seen as an iterable of batches with a length."""

    def __init__(self, dataset):
        self.dataset = dataset

    def __iter__(self):
        return iter(self.dataset)

    def __len__(self) -> int:
        return len(self.dataset)


def _no_y(kind: str, y: Any, sample_weight: Any) -> None:
    if y is not None or sample_weight is not None:
        raise ValueError(
            f"When `x` is {kind}, it must yield `(x, y)` or "
            "`(x, y, sample_weight)` itself: do not pass `y` or "
            "`sample_weight` separately. Received: "
            f"y={'set' if y is not None else None}, sample_weight="
            f"{'set' if sample_weight is not None else None}"
        )


def pack_x_y_sample_weight(
    x: Any, y: Any = None, sample_weight: Any = None
) -> Any:
    """`x`, `(x, y)` or `(x, y, sample_weight)`: the tuple a data pipeline
    yields (a list or tuple `x` alone becomes `(x,)`, so that it is not
    read as `(x, y)`)."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data: Any) -> Any:
    """`(x,)`, `(x, y)` or `(x, y, sample_weight)` → the three parts."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
        f"`(x, y, sample_weight)`, found a tuple of length {len(data)}."
    )


__all__ = [
    "ArrayDataAdapter",
    "GeneratorAdapter",
    "PyDataset",
    "PyDatasetAdapter",
    "TorchDataAdapter",
    "get_data_adapter",
    "unpack_x_y_sample_weight",
]
