"""Mergeable approximate quantile summaries, used by `Discretization.adapt`.

A summary is a `(2, k)` float array: sorted values (row 0) and the number
of samples each stands for (row 1). Batches are summarized one at a time
and merged, and the merged summary is compressed back to about
`1 / epsilon` entries, so `adapt` runs in bounded memory. The numerics
follow Keras's `Discretization` step for step (same float32 casts, same
linear interpolation), so both give the same boundaries on the same data.
"""

from __future__ import annotations

import numpy as np


def empty() -> np.ndarray:
    """The summary of no data."""
    return np.zeros((2, 0), dtype="float32")


def summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """Every `step`-th sorted value, each weighted `step`, where `step`
    keeps about `1 / epsilon` of them (all of them for small batches).

    >>> summarize(np.arange(10.0), 0.25).tolist()
    [[1.0, 3.0, 5.0, 7.0, 9.0], [2.5, 2.5, 2.5, 2.5, 2.5]]
    """
    ordered = np.sort(np.reshape(values, [-1]))
    step = max(ordered.size * epsilon, 1)
    kept = ordered[int(step - 1) :: int(step)]
    return np.stack([kept, np.ones_like(kept) * step])


def merge(first: np.ndarray, second: np.ndarray, epsilon: float) -> np.ndarray:
    """Both summaries in one, sorted by value, then compressed."""
    both = np.concatenate((first, second), axis=1)
    both = np.take(both, np.argsort(both[0]), axis=1)
    return compress(both, epsilon)


def compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """About `1 / epsilon` entries at the cumulative-weight fractions
    `epsilon, 2 * epsilon, ..., 1`, interpolated linearly; a summary with
    fewer entries than that is returned as it is."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    position = cumulative / cumulative[-1]
    values = np.interp(fractions, position, summary[0])
    cumulative = np.interp(fractions, position, cumulative)
    weights = np.diff(cumulative, prepend=0.0)
    return np.stack((values, weights)).astype("float32")


def boundaries(summary: np.ndarray, num_bins: int) -> list:
    """The `num_bins - 1` inner boundaries of equal-weight bins.

    >>> s = summarize(np.arange(100.0), 0.01)
    >>> boundaries(s, 4)
    [24.0, 49.0, 74.0]
    """
    return compress(summary, 1.0 / num_bins)[0, :-1].tolist()
