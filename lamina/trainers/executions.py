"""`steps_per_execution`: batches grouped into executions, as Keras runs
them.

`compile(steps_per_execution=N)` makes the loops run `N` steps per
"execution" with nothing on the host between them: the batch hooks of the
callbacks run once per execution, `on_*_batch_begin(begin)` before its
first step and `on_*_batch_end(end, logs)` after its last, with the logs
of that last step. As in Keras's `EpochIterator` (every backend):

- executions begin at `0, N, 2N, ...` and `end` is always
  `begin + N - 1`, also for the last, partial execution of an epoch
  (10 batches with `N=3` give `(0, 2), (3, 5), (6, 8), (9, 11)`, the last
  running one step);
- a step limit (`steps_per_epoch`, `evaluate`'s and `predict`'s `steps`)
  bounds where executions begin, and each one that begins runs `N` steps
  while data lasts, so `steps_per_epoch=5` with `N=3` trains 6 batches
  per epoch (`padded_steps`);
- `on_epoch_end` and everything per epoch are unchanged.

The batches of one execution are taken before its hooks run (they are
views of tensors already on the device, so holding `N` costs nothing).
"""

from __future__ import annotations

import itertools
import numbers
from typing import Any, Iterable, Iterator


def steps_per_execution(model: Any) -> int:
    """The model's `steps_per_execution`, or 1 where `compile` accepted a
    value that is not a positive integer (with a warning there)."""
    value = getattr(model, "steps_per_execution", 1)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return 1
    return max(int(value), 1)


def padded_steps(steps: int, size: int) -> int:
    """The batches an epoch of at most `steps` steps takes when executions
    of `size` steps always run whole."""
    return -(-steps // size) * size


def executions(
    batches: Iterable,
    size: int,
    steps: int | None = None,
    start: int = 0,
) -> Iterator[tuple[int, int, list]]:
    """`(begin, end, batches)` for each execution of up to `size` steps.

    Args:
        batches: the batches of one epoch.
        size: the steps per execution (`N`).
        steps: executions begin only below this step index (None: until
            the data runs out).
        start: the index of the first batch (an epoch resumed mid-way).

    Example:

    >>> from lamina.trainers.executions import executions
    >>> [(b, e, len(c)) for b, e, c in executions(range(10), 3)]
    [(0, 2, 3), (3, 5, 3), (6, 8, 3), (9, 11, 1)]
    >>> [(b, e, len(c)) for b, e, c in executions(range(10), 3, steps=5)]
    [(0, 2, 3), (3, 5, 3)]
    """
    iterator = iter(batches)
    begin = start
    while steps is None or begin < steps:
        chunk = list(itertools.islice(iterator, size))
        if not chunk:
            return
        yield begin, begin + size - 1, chunk
        begin += size


__all__ = ["executions", "padded_steps", "steps_per_execution"]
