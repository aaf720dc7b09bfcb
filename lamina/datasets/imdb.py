"""IMDB: 50,000 movie reviews labeled positive (1) or negative (0).

Also home to `encode_sequences`, the word-index recoding `reuters` shares.
"""

from __future__ import annotations

from typing import Any

import json

import numpy as np

from lamina.datasets import cache
from lamina.datasets import safe_pickle

_NPZ_SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
_INDEX_MD5 = "bfafd718b763782e994055a2d397834f"


def as_object_array(sequences: list) -> np.ndarray:
    """A 1-D object array of lists, even when all lists have one length."""
    out = np.empty(len(sequences), dtype=object)
    for i, seq in enumerate(sequences):
        out[i] = seq
    return out


def encode_sequences(
    groups: list[tuple[np.ndarray, np.ndarray]],
    num_words: int | None,
    skip_top: int,
    maxlen: int | None,
    start_char: int | None,
    oov_char: int | None,
    index_from: int,
    caller: str,
) -> list[tuple[list, np.ndarray]]:
    """Recode `[(sequences, labels), ...]` as Keras's imdb/reuters loaders do.

    Every word index `w` becomes `w + index_from`, after `start_char` when it
    is not `None`. With `maxlen`, sequences of `maxlen` or more entries are
    dropped (with their labels). Indices outside `[skip_top, num_words)`
    become `oov_char`, or are removed when it is `None`. When `num_words` is
    not given it is the largest index seen, which (as in Keras) makes that
    one index out of range too.

    Returns:
        `[(list_of_lists, labels_array), ...]`, one per input group.

    Raises:
        ValueError: naming `caller`, if `maxlen` leaves a group empty.
    """
    prefix = [] if start_char is None else [start_char]
    encoded = []
    for sequences, labels in groups:
        seqs = [prefix + [w + index_from for w in seq] for seq in sequences]
        labels = np.asarray(labels)
        if maxlen:
            keep = [len(seq) < maxlen for seq in seqs]
            seqs = [seq for seq, k in zip(seqs, keep) if k]
            labels = labels[np.asarray(keep, dtype=bool)]
            if not seqs:
                raise ValueError(
                    f"Invalid value for argument `maxlen` of {caller}: "
                    "every sequence of a split has `maxlen` entries or "
                    f"more, so none is left. Received: maxlen={maxlen}. "
                    "Increase `maxlen`."
                )
        encoded.append((seqs, labels))
    if not num_words:
        num_words = max(max(seq) for seqs, _ in encoded for seq in seqs)

    def recode(seq):
        if oov_char is None:
            return [w for w in seq if skip_top <= w < num_words]
        return [w if skip_top <= w < num_words else oov_char for w in seq]

    return [([recode(seq) for seq in seqs], labels) for seqs, labels in encoded]


def load_data(
    path: str = "imdb.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    **kwargs: Any,
) -> cache.TrainTest:
    """Load IMDB reviews as `(x_train, y_train), (x_test, y_test)`.

    Each review is a list of word indices; index `i` is the `i`-th most
    frequent word (see `get_word_index`), shifted by `index_from` so that
    0 (padding), `start_char` and `oov_char` stay free. Reads Keras's
    `imdb.npz` from its cache folder (`$KERAS_HOME/datasets`, else
    `~/.keras/datasets`), downloading it (17 MB, sha256-checked) if missing.
    Its ragged arrays are pickles, read by an unpickler that builds arrays
    only.

    Args:
        path: the file name inside the cache folder.
        num_words: keep only the `num_words` most frequent words; others
            become `oov_char`. `None` keeps all but the largest index (a
            quirk kept from Keras).
        skip_top: the most frequent words to replace by `oov_char`.
        maxlen: drop reviews with `maxlen` or more entries (counting
            `start_char`). `None` keeps all.
        seed: seed of the shuffle applied to the train, then the test set.
        start_char: index put before each review; `None` for none.
        oov_char: index replacing dropped words; `None` removes them.
        index_from: offset added to every word index.
        **kwargs: none are accepted (Keras's signature has them for legacy
            names).

    Returns:
        Two tuples of NumPy arrays: `x_train` and `x_test` are 1-D object
        arrays of 25,000 lists of ints; `y_train` and `y_test` are `int64`
        arrays of 0/1 labels.

    Raises:
        TypeError: for any keyword argument not listed above.
        ValueError: if `maxlen` leaves a split empty.
        lamina.datasets.cache.DatasetUnavailableError: (an `OSError`) when the
            file is not cached and cannot be downloaded.

    Example:

    >>> import lamina
    >>> (x_train, y_train), _ = lamina.datasets.imdb.load_data(
    ...     num_words=10000)  # doctest: +SKIP
    >>> x_train[0][:3], int(y_train[0])  # doctest: +SKIP
    ([1, 13, 586], 0)
    """
    if kwargs:
        raise TypeError(
            f"Unrecognized keyword arguments passed to imdb.load_data: "
            f"{kwargs}. Accepted: path, num_words, skip_top, maxlen, seed, "
            "start_char, oov_char, index_from."
        )
    file = cache.cached_file(
        path,
        cache.KERAS_DATASETS_URL + "imdb.npz",
        _NPZ_SHA256,
        "imdb.load_data",
    )
    arrays = safe_pickle.load_npz(file)
    rng = np.random.RandomState(seed)
    groups = []
    for split in ("train", "test"):
        x, y = arrays["x_" + split], arrays["y_" + split]
        order = np.arange(len(x))
        rng.shuffle(order)
        groups.append((x[order], y[order]))
    (x_train, y_train), (x_test, y_test) = encode_sequences(
        groups,
        num_words,
        skip_top,
        maxlen,
        start_char,
        oov_char,
        index_from,
        "imdb.load_data",
    )
    return (
        (as_object_array(x_train), y_train),
        (as_object_array(x_test), y_test),
    )


def get_word_index(path: str = "imdb_word_index.json") -> dict[str, int]:
    """The mapping from word to its frequency rank in IMDB (1 = most common).

    Reads Keras's `imdb_word_index.json` from the cache folder, downloading
    it if missing. Add `index_from` to a rank to get the index `load_data`
    uses for that word.

    Args:
        path: the file name inside the cache folder.

    Returns:
        A dict from word to rank.

    Example:

    >>> import lamina
    >>> index = lamina.datasets.imdb.get_word_index()  # doctest: +SKIP
    >>> index["the"]  # doctest: +SKIP
    1
    """
    file = cache.cached_file(
        path,
        cache.KERAS_DATASETS_URL + "imdb_word_index.json",
        _INDEX_MD5,
        "imdb.get_word_index",
    )
    with open(file, encoding="utf-8") as f:
        return json.load(f)
