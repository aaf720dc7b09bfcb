import numpy as np
import pytest
import torch

from lamina.layers import CategoryEncoding
from tests.keras_oracle import keras
from tests.layers.parity import (
    assert_close,
    check_round_trip,
    compare_configs,
    compare_symbolic,
)
from tests.layers.preprocessing.helpers import archive_both_ways

INPUTS = [
    np.array([[0, 1, 1], [3, 2, 0]]),
    np.array([1, 2, 2]),
    np.array([[1], [3]]),
    np.array(2),
    np.array([[-1, 2, 0]]),
]


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count", "binary"])
@pytest.mark.parametrize("x", INPUTS, ids=range(len(INPUTS)))
def test_matches_keras(mode, x):
    ours = CategoryEncoding(4, output_mode=mode)
    theirs = keras.layers.CategoryEncoding(4, output_mode=mode)
    assert_close(ours(torch.from_numpy(x)), theirs(x))
    compare_configs(theirs, ours)
    check_round_trip(CategoryEncoding, keras.layers.CategoryEncoding, ours)
    if x.ndim:
        compare_symbolic(
            lambda: keras.layers.CategoryEncoding(4, output_mode=mode),
            lambda: CategoryEncoding(4, output_mode=mode),
            x.shape[1:],
            dtype="int32",
        )


def test_count_weights():
    x, w = np.array([[0, 1, 1]]), np.array([[0.5, 1.0, 2.0]], "float32")
    ours = CategoryEncoding(4, output_mode="count")(
        torch.from_numpy(x), count_weights=torch.from_numpy(w)
    )
    assert_close(
        ours,
        keras.layers.CategoryEncoding(4, output_mode="count")(
            x, count_weights=w
        ),
    )


def test_bad_input():
    with pytest.raises(ValueError, match="CategoryEncoding.*num_tokens"):
        CategoryEncoding(4)(torch.tensor([[0, 5]]))
    with pytest.raises(ValueError, match="`num_tokens` of CategoryEncoding"):
        CategoryEncoding(0)
    with pytest.raises(ValueError, match="`output_mode`"):
        CategoryEncoding(3, output_mode="tf_idf")
    with pytest.raises(ValueError, match="count_weights"):
        CategoryEncoding(3)(torch.tensor([[1]]), count_weights=[[1.0]])


def test_archive_both_ways(tmp_path):
    x = np.array([[0, 1, 1], [3, 2, 0]], "int32")
    archive_both_ways(
        lambda lib: lib.layers.CategoryEncoding(4, output_mode="count"),
        (3,),
        x,
        tmp_path,
        dtype="int32",
    )
