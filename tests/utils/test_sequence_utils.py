"""pad_sequences against keras.utils.pad_sequences."""

import numpy as np
import pytest

from lamina import utils
from tests.api.signatures import assert_same_signature
from tests.keras_oracle import keras

SEQS = [[1, 2, 3, 4], [5], [], [6, 7]]
CASES = [
    {},
    {"maxlen": 2},
    {"maxlen": 3, "padding": "post"},
    {"maxlen": 3, "truncating": "post"},
    {"maxlen": 6, "padding": "post", "truncating": "post", "value": -1},
    {"dtype": "float32", "value": 0.5},
    {"dtype": "int64", "maxlen": 1},
]


@pytest.mark.parametrize("kwargs", CASES)
def test_matches_keras(kwargs):
    got = utils.pad_sequences(SEQS, **kwargs)
    want = keras.utils.pad_sequences(SEQS, **kwargs)
    np.testing.assert_array_equal(got, want)
    assert got.dtype == want.dtype


def test_arrays_with_feature_axis_and_strings():
    seqs = [np.ones((3, 2)), np.zeros((1, 2))]
    np.testing.assert_array_equal(
        utils.pad_sequences(seqs, dtype="float32"),
        keras.utils.pad_sequences(seqs, dtype="float32"),
    )
    words = [["a", "b"], ["c"]]
    np.testing.assert_array_equal(
        utils.pad_sequences(words, dtype=object, value="<pad>"),
        keras.utils.pad_sequences(words, dtype=object, value="<pad>"),
    )


def test_errors():
    with pytest.raises(ValueError, match="`padding` of pad_sequences"):
        utils.pad_sequences(SEQS, padding="middle")
    with pytest.raises(ValueError, match="`truncating`.*Received: "):
        utils.pad_sequences(SEQS, truncating="x")
    with pytest.raises(ValueError, match="list of iterables"):
        utils.pad_sequences([1, 2])
    with pytest.raises(ValueError, match="string padding value"):
        utils.pad_sequences(SEQS, value="x")


def test_signature_and_aliases():
    assert_same_signature(utils.pad_sequences, keras.utils.pad_sequences)
    from lamina.preprocessing import sequence

    assert sequence.pad_sequences is utils.pad_sequences
