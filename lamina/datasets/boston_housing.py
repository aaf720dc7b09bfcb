"""Boston Housing: 506 Boston suburbs (1970s), 13 features, median price.

Also home to `shuffle_split`, the seeded split `california_housing` shares.
"""

from __future__ import annotations

import numpy as np

from lamina.datasets import cache

_SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def check_test_split(test_split: float, caller: str) -> None:
    """Raise unless `0 <= test_split < 1`."""
    if not 0 <= test_split < 1:
        raise ValueError(
            f"Invalid value for argument `test_split` of {caller}: expected "
            f"a fraction in [0, 1). Received: test_split={test_split!r}"
        )


def shuffle_split(
    x: np.ndarray, y: np.ndarray, test_split: float, seed: int
) -> cache.TrainTest:
    """Shuffle `(x, y)` with `np.random.RandomState(seed)`, then split.

    The first `int(len(x) * (1 - test_split))` shuffled rows are for
    training, the rest for testing, the same rows Keras picks.
    """
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def load_data(
    path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113
) -> cache.TrainTest:
    """Load Boston Housing as `(x_train, y_train), (x_test, y_test)`.

    Warning: one of the 13 features, "B", encodes an assumption about race
    and house prices; use this data only to discuss such ethical problems,
    and prefer `california_housing` for regression examples.

    Reads Keras's `boston_housing.npz` from its cache folder
    (`$KERAS_HOME/datasets`, else `~/.keras/datasets`), downloading it
    (57 KB, sha256-checked) if missing. The features are described by
    StatLib (http://lib.stat.cmu.edu/datasets/boston).

    Args:
        path: the file name inside the cache folder.
        test_split: fraction of the rows kept for testing, in `[0, 1)`.
        seed: seed of the shuffle before splitting.

    Returns:
        Two tuples of NumPy arrays: `x` of shape `(n, 13)` and `y` (median
        value in k$) of shape `(n,)`, both `float64`; 404 training and 102
        test rows by default.

    Raises:
        ValueError: if `test_split` is outside `[0, 1)`.
        lamina.datasets.cache.DatasetUnavailableError: (an `OSError`) when the
            file is not cached and cannot be downloaded.

    Example:

    >>> import lamina
    >>> (x_train, y_train), (x_test, y_test) = (
    ...     lamina.datasets.boston_housing.load_data())  # doctest: +SKIP
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((404, 13), (102, 13))
    """
    caller = "boston_housing.load_data"
    check_test_split(test_split, caller)
    file = cache.cached_file(
        path, cache.KERAS_DATASETS_URL + "boston_housing.npz", _SHA256, caller
    )
    with np.load(file, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return shuffle_split(x, y, test_split, seed)
