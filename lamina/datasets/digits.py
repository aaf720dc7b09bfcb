"""The 8×8 handwritten digits (1,797 images), shipped inside lamina.

Licence and origin: `lamina/datasets/data/README.md` (UCI, CC BY 4.0).
"""

from __future__ import annotations

from typing import Any

import gzip
import os

import numpy as np

_PATH = os.path.join(os.path.dirname(__file__), "data", "digits.csv.gz")


def load_data(test_split: float = 0.2, seed: int = 113) -> Any:
    """Load the digits as `(x_train, y_train), (x_test, y_test)`.

    Images are `uint8` arrays of shape `(n, 8, 8)` with values 0–16; labels
    are `uint8` digits 0–9. The split is a seeded shuffle, so it is the same
    on every call with the same `seed`.

    Args:
        test_split: fraction of the 1,797 images kept for testing.
        seed: seed of the shuffle before splitting.

    Example:

    >>> import lamina
    >>> (x_train, y_train), (x_test, y_test) = (
    ...     lamina.datasets.digits.load_data())
    >>> x_train.shape, x_test.shape
    ((1438, 8, 8), (359, 8, 8))
    """
    if not 0.0 < test_split < 1.0:
        raise ValueError(
            f"`test_split` must be in (0, 1). Received: test_split={test_split}"
        )
    with gzip.open(_PATH, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.uint8)
    x = table[:, :64].reshape(-1, 8, 8)
    y = table[:, 64]
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    cut = int(round(len(x) * (1.0 - test_split)))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
