"""Batches per epoch when `fit` is given `steps_per_epoch`.

As in Keras, one pass over the data is spread across epochs: an epoch
takes up to `steps_per_epoch` batches from the current pass; when the pass
runs out mid-epoch, that epoch ends early (with a warning, once per fit)
and the next epoch starts a new pass (reshuffled). Data of unknown length
(a generator) is never restarted: once it runs out, training stops.
"""

from __future__ import annotations

import warnings
from typing import Any, Iterator


class StepsPerEpoch:
    """Iterate at most `steps` batches per epoch over `data`, continuing
    the same pass across epochs.

    Args:
        data: a data adapter (iterable of batches, with `num_batches`:
            None for data of unknown length).
        steps: the number of batches per epoch.
    """

    def __init__(self, data: Any, steps: int):
        self.data = data
        self.steps = steps
        self._total = getattr(data, "num_batches", None)
        self._iterator: Iterator | None = None
        self._seen = 0
        self._warned = False

    def __getattr__(self, name: str) -> Any:
        # `on_epoch_end` and the like belong to the wrapped data.
        return getattr(self.data, name)

    def __iter__(self) -> Iterator:
        if self._iterator is None:
            self._iterator, self._seen = iter(self.data), 0
        for _ in range(self.steps):
            if self._total is not None and self._seen >= self._total:
                self._warn_short_epoch()
                break
            batch = next(self._iterator, None)
            if batch is None:  # data of unknown length ran out
                break
            self._seen += 1
            yield batch
        if self._total is not None and self._seen >= self._total:
            self._iterator = None  # the next epoch starts a new pass

    def _warn_short_epoch(self) -> None:
        if not self._warned:
            self._warned = True
            warnings.warn(
                f"Your input ran out of data: the data has {self._total} "
                f"batches, fewer than steps_per_epoch={self.steps} left in "
                "this pass, so this epoch ends early and the next one "
                "starts a new pass (as in Keras). Make `steps_per_epoch` "
                "divide the number of batches to avoid short epochs.",
                UserWarning,
                stacklevel=4,
            )
