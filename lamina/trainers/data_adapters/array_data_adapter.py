"""In-memory arrays: converted and moved to the device once per `fit`,
then sliced into batches there (no per-batch host→device copies)."""

from __future__ import annotations

import math
from typing import Any, Iterator

import numpy as np
import torch

from lamina import config
from lamina.utils import tree


def to_tensor(x: Any, device: Any = None) -> Any:
    """NumPy / lists / tensors → torch tensors (float64 → floatx, as
    Keras does), on `device`."""
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        t = x
    else:
        arr = np.asarray(x)
        if arr.dtype.kind in "US" or (
            arr.dtype == object
            and all(isinstance(v, (str, bytes)) for v in arr.reshape(-1))
        ):
            return arr  # text stays NumPy (torch has no strings)
        if arr.dtype == object:
            raise ValueError(
                "Failed to convert data to a tensor: arrays of Python "
                f"objects are not supported. Received dtype: {arr.dtype}"
            )
        t = torch.from_numpy(np.ascontiguousarray(arr))
    if t.dtype == torch.float64:
        t = t.to(getattr(torch, config.floatx()))
    return t.to(device) if device is not None else t


def class_weights_to_sample_weights(
    y: torch.Tensor, class_weight: dict
) -> torch.Tensor:
    """One weight per sample from `class_weight[class of the sample]`."""
    if y is None:
        raise ValueError("`class_weight` needs targets `y`. Received: y=None")
    labels = (
        y.argmax(-1)
        if y.ndim > 1 and y.shape[-1] > 1
        else y.reshape(y.shape[0], -1)[:, 0].round().long()
    )
    num_classes = int(labels.max().item()) + 1 if labels.numel() else 0
    keys = sorted(class_weight)
    if any(not isinstance(k, (int, np.integer)) or k < 0 for k in keys):
        raise ValueError(
            "Expected `class_weight` keys to be non-negative class indices. "
            f"Received: class_weight={class_weight}"
        )
    table = torch.ones(max(num_classes, keys[-1] + 1 if keys else 0))
    for k, w in class_weight.items():
        table[int(k)] = float(w)
    missing = [c for c in range(num_classes) if c not in class_weight]
    if missing:
        raise ValueError(
            f"`class_weight` must contain all classes in the data. The "
            f"classes {set(missing)} exist in the data but not in "
            f"`class_weight`. Received: class_weight={class_weight}"
        )
    return table.to(labels.device)[labels]


class ArrayDataAdapter:
    """Batches from tensors already on the device."""

    def __init__(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        batch_size: int | None = None,
        shuffle: bool | str = False,
        device: Any = None,
        class_weight: Any = None,
    ):
        self.x = tree.map_structure(lambda a: to_tensor(a, device), x)
        self.y = tree.map_structure(lambda a: to_tensor(a, device), y)
        self.sample_weight = tree.map_structure(
            lambda a: to_tensor(a, device), sample_weight
        )
        self.num_samples = _check_lengths(self.x, self.y, self.sample_weight)
        if class_weight is not None:
            if self.sample_weight is not None:
                raise ValueError(
                    "You cannot `class_weight` and `sample_weight` at the "
                    "same time. Received both."
                )
            if tree.is_nested(self.y):
                raise ValueError(
                    "`class_weight` is only supported for models with a "
                    "single output."
                )
            self.sample_weight = class_weights_to_sample_weights(
                self.y, class_weight
            )
        self.batch_size = int(batch_size or 32)
        self.shuffle = shuffle
        self.device = device

    @property
    def num_batches(self) -> int:
        return math.ceil(self.num_samples / self.batch_size)

    def _batch(self, index) -> tuple:
        def take(a):
            if isinstance(a, np.ndarray) and isinstance(index, torch.Tensor):
                return a[index.cpu().numpy()]
            return None if a is None else a[index]

        x = tree.map_structure(take, self.x)
        y = tree.map_structure(take, self.y)
        sw = tree.map_structure(take, self.sample_weight)
        if y is None:
            return (x,)
        return (x, y) if sw is None else (x, y, sw)

    def first_batch(self) -> tuple:
        """The first batch in data order (no shuffling drawn)."""
        return self._batch(slice(0, self.batch_size))

    def shard(self, world: int, rank: int, where: str) -> Any:
        """This process's part of every batch (`sharding`)."""
        from lamina.trainers.data_adapters.sharding import ShardedArrayAdapter

        return ShardedArrayAdapter(self, world, rank, where)

    def __iter__(self) -> Iterator[tuple]:
        n, bs = self.num_samples, self.batch_size
        if self.shuffle == "batch":
            order = torch.randperm(self.num_batches).tolist()
            for b in order:
                yield self._batch(slice(b * bs, min(n, (b + 1) * bs)))
        elif self.shuffle:
            device = _first_device(self.x)
            perm = torch.randperm(n, device=device)
            for start in range(0, n, bs):
                yield self._batch(perm[start : start + bs])
        else:
            for start in range(0, n, bs):
                yield self._batch(slice(start, start + bs))


def _first_device(x):
    for t in tree.flatten(x):
        if isinstance(t, torch.Tensor):
            return t.device
    return None


def _check_lengths(x, y, sw) -> int:
    sizes: dict[str, list[int]] = {}
    for label, part in (("x", x), ("y", y), ("sample_weight", sw)):
        for t in tree.flatten(part):
            if isinstance(t, (torch.Tensor, np.ndarray)):
                if t.ndim == 0:
                    raise ValueError(
                        f"Expected arrays with a batch axis in `{label}`, "
                        "received a scalar."
                    )
                sizes.setdefault(label, []).append(int(t.shape[0]))
    unique = {s for v in sizes.values() for s in v}
    if len(unique) > 1:
        detail = "\n".join(
            f"'{k}' sizes: {', '.join(map(str, v))}" for k, v in sizes.items()
        )
        raise ValueError(
            "Data cardinality is ambiguous: make sure all arrays contain "
            f"the same number of samples.\n{detail}"
        )
    if not unique:
        raise ValueError("No data provided: `x` has no arrays.")
    return unique.pop()


def train_validation_split(arrays: tuple, validation_split: float) -> tuple:
    """Split `(x, y, sample_weight)` at `1 - validation_split` (the last
    samples validate, before any shuffling, as in Keras)."""
    flat = [t for t in tree.flatten(arrays) if t is not None]
    n = int(flat[0].shape[0])
    cut = int(math.floor(n * (1.0 - validation_split)))
    if cut == 0 or cut == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient "
            f"to split it into a validation and training set as specified "
            f"by `validation_split={validation_split}`."
        )

    def part(sl):
        return tree.map_structure(
            lambda a: None if a is None else a[sl], arrays
        )

    return part(slice(0, cut)), part(slice(cut, None))
