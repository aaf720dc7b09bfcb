"""reuters: Keras's shuffle, recoding and split, on a fake cache file."""

import json

import numpy as np
import pytest

from lamina.datasets import reuters
from tests.datasets import fakes
from tests.datasets.test_imdb import assert_same


@pytest.fixture
def reuters_arrays(datasets_dir, rng):
    arrays = {"x": fakes.ragged(rng, 23, high=40), "y": rng.integers(0, 46, 23)}
    np.savez(datasets_dir / "reuters.npz", **arrays)
    return arrays


ARGUMENTS = [
    {},
    {"num_words": 20, "skip_top": 4},
    {"maxlen": 8},
    {"test_split": 0.5, "seed": 3},
    {"test_split": 0.0},
    {"start_char": None, "oov_char": None, "num_words": 25},
    {"start_char": None, "index_from": 0},
]


@pytest.mark.parametrize("kwargs", ARGUMENTS, ids=str)
def test_matches_keras(reuters_arrays, keras_datasets, kwargs):
    assert_same(
        reuters.load_data(**kwargs), keras_datasets.reuters.load_data(**kwargs)
    )


def test_split_sizes_and_content(reuters_arrays):
    (x_train, y_train), (x_test, y_test) = reuters.load_data(test_split=0.3)
    assert len(x_train) == int(23 * 0.7) == len(y_train)
    assert len(x_test) == 23 - int(23 * 0.7) == len(y_test)
    assert y_train.dtype == np.int64
    got = sorted(int(v) for v in np.concatenate([y_train, y_test]))
    assert got == sorted(int(v) for v in reuters_arrays["y"])


@pytest.mark.parametrize("value", [1.0, -0.1])
def test_test_split_error(keras_home, value):
    with pytest.raises(
        ValueError,
        match=r"argument `test_split` of reuters"
        rf"\.load_data: .*Received: test_split={value}",
    ):
        reuters.load_data(test_split=value)


def test_word_index_and_label_names(datasets_dir, keras_datasets):
    words = {"said": 1, "the": 2}
    (datasets_dir / "reuters_word_index.json").write_text(json.dumps(words))
    assert reuters.get_word_index() == words
    assert reuters.get_label_names() == tuple(
        keras_datasets.reuters.get_label_names()
    )
    assert len(reuters.get_label_names()) == 46
