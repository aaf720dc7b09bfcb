"""`PyDataset`: a dataset indexed by batch (Keras's `PyDataset`)."""

from __future__ import annotations


class PyDataset:
    """Base class for datasets indexed by batch (Keras's `PyDataset`).

    Subclasses implement `__len__` (the number of batches) and
    `__getitem__(index)` returning `x`, `(x, y)` or `(x, y, sample_weight)`
    for one batch; `on_epoch_end` is called after each epoch.

    Args:
        workers, use_multiprocessing, max_queue_size: accepted for Keras
            parity; batches are produced in the calling thread.
    """

    def __init__(
        self,
        workers: int = 1,
        use_multiprocessing: bool = False,
        max_queue_size: int = 10,
    ):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, index: int):
        raise NotImplementedError

    def on_epoch_end(self) -> None:
        pass

    @property
    def num_batches(self) -> int | None:
        return len(self)
