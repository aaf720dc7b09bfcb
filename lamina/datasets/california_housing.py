"""California Housing: 20,640 census block groups (1990), 8 features, price."""

from __future__ import annotations

import numpy as np

from lamina.datasets import cache
from lamina.datasets.boston_housing import check_test_split
from lamina.datasets.boston_housing import shuffle_split

_SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
_VERSIONS = ("small", "large")
_SMALL_ROWS = 600


def load_data(
    version: str = "large",
    path: str = "california_housing.npz",
    test_split: float = 0.2,
    seed: int = 113,
) -> cache.TrainTest:
    """Load California Housing as `(x_train, y_train), (x_test, y_test)`.

    The target is a block group's median house value in dollars (about
    25,000 to 500,000). The 8 features, in order: median income, median
    house age, average rooms and average bedrooms per household, population,
    average household size, latitude, longitude. Averages per household can
    be large where many houses stand empty (holiday resorts).

    Reads Keras's `california_housing.npz` from its cache folder
    (`$KERAS_HOME/datasets`, else `~/.keras/datasets`), downloading it
    (sha256-checked) if missing. Source: StatLib, via
    https://www.dcc.fc.up.pt/~ltorgo/Regression/cal_housing.html.

    Args:
        version: `"large"` for all 20,640 rows, or `"small"` for the first
            600 (a stand-in for `boston_housing`).
        path: the file name inside the cache folder.
        test_split: fraction of the rows kept for testing, in `[0, 1)`.
        seed: seed of the shuffle before splitting.

    Returns:
        Two tuples of NumPy arrays: `x` of shape `(n, 8)` and `y` of shape
        `(n,)`, with the dtypes stored in the file; 16,512 training and 4,128
        test rows for `"large"` by default, 480 and 120 for `"small"`.

    Raises:
        ValueError: if `version` or `test_split` is invalid.
        lamina.datasets.cache.DatasetUnavailableError: (an `OSError`) when the
            file is not cached and cannot be downloaded.

    Example:

    >>> import lamina
    >>> (x_train, y_train), (x_test, y_test) = (
    ...     lamina.datasets.california_housing.load_data(
    ...         version="small"))  # doctest: +SKIP
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((480, 8), (120, 8))
    """
    caller = "california_housing.load_data"
    if version not in _VERSIONS:
        raise ValueError(
            f"Invalid value for argument `version` of {caller}: expected one "
            f"of {_VERSIONS}. Received: version={version!r}"
        )
    check_test_split(test_split, caller)
    file = cache.cached_file(
        path,
        cache.KERAS_DATASETS_URL + "california_housing.npz",
        _SHA256,
        caller,
    )
    with np.load(file, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:_SMALL_ROWS], y[:_SMALL_ROWS]
    return shuffle_split(x, y, test_split, seed)
