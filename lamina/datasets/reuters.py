"""Reuters: 11,228 newswires labeled over 46 topics."""

from __future__ import annotations

import json

import numpy as np

from lamina.datasets import cache
from lamina.datasets import safe_pickle
from lamina.datasets.imdb import as_object_array
from lamina.datasets.imdb import encode_sequences

_NPZ_SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921"

# Topic names by label, in the order Keras lists them.
_LABEL_NAMES = tuple(
    """
    cocoa grain veg-oil earn acq wheat copper housing money-supply coffee
    sugar trade reserves ship cotton carcass crude nat-gas cpi money-fx
    interest gnp meal-feed alum oilseed gold tin strategic-metal livestock
    retail ipi iron-steel rubber heat jobs lei bop zinc orange pet-chem dlr
    gas silver wpi hog lead
""".split()
)


def load_data(
    path: str = "reuters.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    test_split: float = 0.2,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
) -> cache.TrainTest:
    """Load Reuters newswires as `(x_train, y_train), (x_test, y_test)`.

    Each newswire is a list of word indices, recoded exactly as
    `lamina.datasets.imdb.load_data` does (see its arguments); the labels
    are topic numbers 0–45 (`get_label_names`). Reads Keras's `reuters.npz`
    from its cache folder (`$KERAS_HOME/datasets`, else `~/.keras/datasets`),
    downloading it (2 MB, sha256-checked) if missing. Its ragged arrays are
    pickles, read by an unpickler that builds arrays only.

    Args:
        path: the file name inside the cache folder.
        num_words: keep only the `num_words` most frequent words.
        skip_top: the most frequent words to replace by `oov_char`.
        maxlen: drop newswires with `maxlen` or more entries.
        test_split: fraction of the (shuffled, filtered) newswires kept for
            testing, in `[0, 1)`.
        seed: seed of the shuffle before splitting.
        start_char: index put before each newswire; `None` for none.
        oov_char: index replacing dropped words; `None` removes them.
        index_from: offset added to every word index.

    Returns:
        Two tuples of NumPy arrays: `x_train` and `x_test` are 1-D object
        arrays of lists of ints; `y_train` and `y_test` are `int64` topic
        labels.

    Raises:
        ValueError: if `test_split` is outside `[0, 1)`, or `maxlen` drops
            every newswire.
        lamina.datasets.cache.DatasetUnavailableError: (an `OSError`) when the
            file is not cached and cannot be downloaded.

    Example:

    >>> import lamina
    >>> (x_train, y_train), (x_test, _) = lamina.datasets.reuters.load_data(
    ...     num_words=10000)  # doctest: +SKIP
    >>> len(x_train), len(x_test)  # doctest: +SKIP
    (8982, 2246)
    """
    if not 0 <= test_split < 1:
        raise ValueError(
            "Invalid value for argument `test_split` of reuters.load_data: "
            f"expected a fraction in [0, 1). Received: "
            f"test_split={test_split!r}"
        )
    file = cache.cached_file(
        path,
        cache.KERAS_DATASETS_URL + "reuters.npz",
        _NPZ_SHA256,
        "reuters.load_data",
    )
    arrays = safe_pickle.load_npz(file)
    order = np.arange(len(arrays["x"]))
    np.random.RandomState(seed).shuffle(order)
    [(xs, labels)] = encode_sequences(
        [(arrays["x"][order], arrays["y"][order])],
        num_words,
        skip_top,
        maxlen,
        start_char,
        oov_char,
        index_from,
        "reuters.load_data",
    )
    cut = int(len(xs) * (1 - test_split))
    return (
        (as_object_array(xs[:cut]), labels[:cut]),
        (as_object_array(xs[cut:]), labels[cut:]),
    )


def get_word_index(path: str = "reuters_word_index.json") -> dict[str, int]:
    """The mapping from word to its frequency rank in Reuters (1 = most).

    Reads Keras's `reuters_word_index.json` from the cache folder,
    downloading it if missing. Add `index_from` (3 by default) to a rank to
    get the index `load_data` uses for that word.

    Args:
        path: the file name inside the cache folder.

    Returns:
        A dict from word to rank.

    Example:

    >>> import lamina
    >>> index = lamina.datasets.reuters.get_word_index()  # doctest: +SKIP
    >>> index["the"]  # doctest: +SKIP
    1
    """
    file = cache.cached_file(
        path,
        cache.KERAS_DATASETS_URL + "reuters_word_index.json",
        _INDEX_MD5,
        "reuters.get_word_index",
    )
    with open(file, encoding="utf-8") as f:
        return json.load(f)


def get_label_names() -> tuple[str, ...]:
    """The 46 topic names; label `i` of `load_data` is topic `names[i]`.

    Example:

    >>> import lamina
    >>> names = lamina.datasets.reuters.get_label_names()
    >>> len(names), names[3]
    (46, 'earn')
    """
    return _LABEL_NAMES
