"""imdb recodes word indices exactly as Keras does, from a safe npz read."""

import json
import pickle

import numpy as np
import pytest

from lamina.datasets import imdb
from tests.datasets import fakes
from tests.datasets.test_safe_pickle import Payload


@pytest.fixture
def imdb_arrays(datasets_dir, rng):
    arrays = {
        "x_train": fakes.ragged(rng, 12),
        "x_test": fakes.ragged(rng, 9),
        "y_train": rng.integers(0, 2, 12),
        "y_test": rng.integers(0, 2, 9),
    }
    np.savez(datasets_dir / "imdb.npz", **arrays)
    return arrays


def assert_same(ours, theirs):
    for (xa, ya), (xb, yb) in zip(ours, theirs):
        assert xa.dtype == xb.dtype == object and xa.shape == xb.shape
        assert [list(s) for s in xa] == [list(s) for s in xb]
        assert ya.dtype == yb.dtype
        np.testing.assert_array_equal(ya, yb)


ARGUMENTS = [
    {},
    {"num_words": 15},
    {"num_words": 20, "skip_top": 6},
    {"maxlen": 7},
    {"maxlen": 8, "num_words": 12, "oov_char": None},
    {"start_char": None},
    {"start_char": None, "index_from": 0},
    {"index_from": 0, "oov_char": 7, "skip_top": 3},
    {"seed": 7},
]


@pytest.mark.parametrize("kwargs", ARGUMENTS, ids=str)
def test_matches_keras(imdb_arrays, keras_datasets, kwargs):
    assert_same(
        imdb.load_data(**kwargs), keras_datasets.imdb.load_data(**kwargs)
    )


def test_defaults_shift_and_mark_start(imdb_arrays):
    (x_train, y_train), (x_test, y_test) = imdb.load_data()
    assert x_train.shape == (12,) and x_test.shape == (9,)
    assert y_train.dtype == np.int64
    largest = (
        max(
            max(s)
            for s in np.concatenate(
                [imdb_arrays["x_train"], imdb_arrays["x_test"]]
            )
        )
        + 3
    )
    # Same reviews, shuffled: compare as sorted (review, label) pairs.
    expected = sorted(
        ([1] + [w + 3 if w + 3 < largest else 2 for w in s], int(label))
        for s, label in zip(imdb_arrays["x_train"], imdb_arrays["y_train"])
    )
    assert sorted(zip(map(list, x_train), map(int, y_train))) == expected


def test_seed_controls_the_shuffle(imdb_arrays):
    a, b = imdb.load_data(seed=1)[0][0], imdb.load_data(seed=2)[0][0]
    assert list(a) != list(b)
    assert list(a) == list(imdb.load_data(seed=1)[0][0])


def test_equal_lengths_still_give_a_1d_array(datasets_dir):
    seqs = np.empty(2, dtype=object)
    seqs[0], seqs[1] = [4, 5], [6, 7]
    np.savez(
        datasets_dir / "imdb.npz",
        x_train=seqs,
        x_test=seqs,
        y_train=np.array([0, 1]),
        y_test=np.array([1, 0]),
    )
    (x_train, _), _ = imdb.load_data()
    assert x_train.shape == (2,) and sorted(map(list, x_train)) == [
        [1, 7, 8],
        [1, 9, 2],
    ]


def test_maxlen_leaving_nothing_is_an_error(imdb_arrays):
    with pytest.raises(
        ValueError,
        match=r"argument `maxlen` of imdb\.load_"
        r"data: .*Received: maxlen=2\. Increase `maxlen`",
    ):
        imdb.load_data(maxlen=2)


def test_unknown_keyword_is_an_error(keras_home):
    with pytest.raises(
        TypeError,
        match="Unrecognized keyword arguments "
        r"passed to imdb\.load_data: \{'nb_words': 10\}",
    ):
        imdb.load_data(nb_words=10)


def test_malicious_npz_is_refused(datasets_dir, tmp_path):
    marker = tmp_path / "ran"
    evil = np.array([Payload(marker)], dtype=object)
    np.savez(
        datasets_dir / "imdb.npz",
        x_train=evil,
        x_test=evil,
        y_train=np.array([0]),
        y_test=np.array([0]),
    )
    with pytest.raises(pickle.UnpicklingError, match="system"):
        imdb.load_data()
    assert not marker.exists()


def test_word_index(datasets_dir, keras_datasets):
    words = {"the": 1, "and": 2, "café": 3}
    (datasets_dir / "imdb_word_index.json").write_text(
        json.dumps(words), encoding="utf-8"
    )
    assert imdb.get_word_index() == words
    assert keras_datasets.imdb.get_word_index() == words
