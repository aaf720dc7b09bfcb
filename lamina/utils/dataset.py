"""`Dataset`: what lamina's dataset builders return where Keras returns a
`tf.data.Dataset`.

It is a `torch.utils.data.IterableDataset` whose iteration yields
elements (batches, once `.batch` has been applied) as torch tensors, or
NumPy string arrays for text. `fit`, `evaluate` and `predict` take it
directly, and `torch.utils.data.DataLoader(ds, batch_size=None)` wraps it
for worker processes. It has the `tf.data` methods Keras code calls on
these datasets (see `docs/datasets.md` for the list): `batch`, `unbatch`,
`map`, `filter`, `take`, `skip`, `shuffle`, `repeat`, `prefetch`
(a no-op: iteration is lazy and in-process), `cache`, `concatenate`,
`cardinality`, `as_numpy_iterator`, and the `class_names` / `file_paths`
attributes of the directory builders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import torch

from lamina.utils import tree

INFINITE = -1
UNKNOWN = -2


def _stack(items: tuple) -> Any:
    first = items[0]
    if isinstance(first, torch.Tensor):
        return torch.stack(items)
    if isinstance(first, (str, bytes)):
        return np.array(items)
    if isinstance(first, np.ndarray) and first.dtype.kind in "USO":
        return np.stack(items)
    return torch.as_tensor(np.stack([np.asarray(i) for i in items]))


def _batch_size(batch: Any) -> int:
    return len(tree.flatten(batch)[0])


class Dataset(torch.utils.data.IterableDataset):
    """A re-iterable, lazily transformed sequence of elements.

    Args:
        source: a callable returning a fresh iterator over the elements.
        length: the number of elements, if known.

    >>> import numpy as np
    >>> from lamina.utils.dataset import Dataset
    >>> ds = Dataset.from_tensor_slices((np.arange(5), np.arange(5) * 10))
    >>> [tuple(b.tolist() for b in batch) for batch in ds.batch(2)]
    [([0, 1], [0, 10]), ([2, 3], [20, 30]), ([4], [40])]
    >>> len(ds.batch(2)), len(ds.batch(2, drop_remainder=True))
    (3, 2)
    """

    def __init__(self, source: Callable[[], Iterable], length: int | None):
        self._source = source
        self._length = length
        self.class_names = None
        self.file_paths = None

    @classmethod
    def from_tensor_slices(cls, tensors: Any) -> Dataset:
        """Elements are the slices of `tensors` (any structure of arrays of
        one common length) along their first axis."""
        leaves = tree.flatten(tensors)
        n = len(leaves[0])

        def source():
            for i in range(n):
                yield tree.map_structure(lambda a, i=i: _slice(a, i), tensors)

        return cls(source, n)

    def _derive(self, source: Callable, length: int | None) -> Dataset:
        out = Dataset(source, length)
        out.class_names, out.file_paths = self.class_names, self.file_paths
        return out

    def __iter__(self) -> Iterator:
        return iter(self._source())

    def __len__(self) -> int:
        if self._length is None or self._length < 0:
            raise TypeError(
                "The length of this Dataset is unknown (after `filter`, or "
                "infinite after `repeat()`); iterate over it instead."
            )
        return self._length

    def cardinality(self) -> int:
        """The number of elements; -1 if infinite, -2 if unknown (as
        `tf.data`)."""
        return UNKNOWN if self._length is None else self._length

    def batch(self, batch_size: int, drop_remainder: bool = False) -> Dataset:
        """Group consecutive elements into batches (stacked tensors)."""
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(
                "Invalid value for argument `batch_size` of Dataset.batch: "
                f"expected a positive int. Received: batch_size={batch_size!r}"
            )

        def source():
            chunk = []
            for element in self:
                chunk.append(element)
                if len(chunk) == batch_size:
                    yield tree.map_structure(lambda *x: _stack(x), *chunk)
                    chunk = []
            if chunk and not drop_remainder:
                yield tree.map_structure(lambda *x: _stack(x), *chunk)

        n = self._length
        if n is not None and n >= 0:
            n = n // batch_size if drop_remainder else -(-n // batch_size)
        return self._derive(source, n)

    def unbatch(self) -> Dataset:
        """Split each batch back into its elements."""

        def source():
            for batch in self:
                for i in range(_batch_size(batch)):
                    yield tree.map_structure(lambda a, i=i: a[i], batch)

        return self._derive(source, None)

    def map(
        self,
        map_func: Callable,
        num_parallel_calls: Any = None,
        deterministic: Any = None,
        name: Any = None,
    ) -> Dataset:
        """Apply `map_func` to each element (a tuple element is passed as
        separate arguments, as `tf.data` does)."""

        def source():
            for element in self:
                if isinstance(element, tuple):
                    yield map_func(*element)
                else:
                    yield map_func(element)

        return self._derive(source, self._length)

    def filter(self, predicate: Callable, name: Any = None) -> Dataset:
        def source():
            for element in self:
                args = element if isinstance(element, tuple) else (element,)
                if bool(predicate(*args)):
                    yield element

        return self._derive(source, None)

    def take(self, count: int, name: Any = None) -> Dataset:
        """The first `count` elements (all of them if `count` is -1)."""

        def source():
            for i, element in enumerate(self):
                if 0 <= count <= i:
                    return
                yield element

        n = self._length
        if count >= 0:
            n = count if n is None or n < 0 else min(n, count)
        return self._derive(source, n)

    def skip(self, count: int, name: Any = None) -> Dataset:
        def source():
            for i, element in enumerate(self):
                if i >= count:
                    yield element

        n = self._length
        n = max(n - count, 0) if n is not None and n >= 0 else n
        return self._derive(source, n)

    def shuffle(
        self,
        buffer_size: int,
        seed: int | None = None,
        reshuffle_each_iteration: bool = True,
        name: Any = None,
    ) -> Dataset:
        """Shuffle with a buffer of `buffer_size` elements, as `tf.data`
        does (a buffer at least the dataset's size shuffles uniformly)."""
        state = {"epoch": 0}

        def source():
            epoch = state["epoch"] if reshuffle_each_iteration else 0
            state["epoch"] += 1
            base = np.random.randint(2**31) if seed is None else seed
            rng = np.random.default_rng([base, epoch])
            buffer = []
            for element in self:
                buffer.append(element)
                if len(buffer) >= buffer_size:
                    yield buffer.pop(int(rng.integers(len(buffer))))
            while buffer:
                yield buffer.pop(int(rng.integers(len(buffer))))

        return self._derive(source, self._length)

    def repeat(self, count: int | None = None, name: Any = None) -> Dataset:
        """Iterate `count` times (forever if `None` or -1)."""
        forever = count is None or count < 0

        def source():
            i = 0
            while forever or i < count:
                yield from self
                i += 1

        n = self._length
        if forever:
            n = INFINITE
        elif n is not None and n >= 0:
            n *= count
        return self._derive(source, n)

    def prefetch(self, buffer_size: Any = None, name: Any = None) -> Dataset:
        """A no-op, kept so that `tf.data` code runs: elements are produced
        on demand in the training process. For background loading, wrap
        the dataset in `torch.utils.data.DataLoader(ds, batch_size=None,
        num_workers=k)`."""
        return self

    def cache(self, filename: str = "", name: Any = None) -> Dataset:
        """Keep the elements in memory after the first full pass (a
        `filename` is not supported: the cache is in memory)."""
        if filename:
            raise ValueError(
                "Invalid value for argument `filename` of Dataset.cache: "
                "lamina caches in memory only; pass no filename. "
                f"Received: filename={filename!r}"
            )
        cached: list = []
        done = {"full": False}

        def source():
            if done["full"]:
                yield from cached
                return
            cached.clear()
            for element in self:
                cached.append(element)
                yield element
            done["full"] = True

        return self._derive(source, self._length)

    def concatenate(self, dataset: Dataset, name: Any = None) -> Dataset:
        def source():
            yield from self
            yield from dataset

        a, b = self._length, dataset._length
        n = (
            a + b
            if a is not None and b is not None and min(a, b) >= 0
            else (None)
        )
        return self._derive(source, n)

    def as_numpy_iterator(self) -> Iterator:
        """Iterate with every tensor converted to a NumPy array."""
        for element in self:
            yield tree.map_structure(
                lambda a: a.numpy() if isinstance(a, torch.Tensor) else a,
                element,
            )

    def __repr__(self) -> str:
        return f"<lamina Dataset cardinality={self.cardinality()}>"


def _slice(a: Any, i: int) -> Any:
    item = a[i]
    if isinstance(item, np.ndarray) and item.dtype.kind not in "USO":
        return torch.from_numpy(np.array(item))
    if isinstance(item, np.generic) and item.dtype.kind not in "USO":
        return torch.as_tensor(item)
    return item
