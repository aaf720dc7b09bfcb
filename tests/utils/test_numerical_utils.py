"""`to_categorical` against Keras 3."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


@pytest.mark.parametrize(
    "x, num_classes",
    [
        ([0, 1, 2], None),
        (np.array([[1], [0], [3]]), 5),
        (np.array([[0, 2], [1, 1]], "int32"), None),
        (np.array([0.0, 2.0]), 3),
    ],
)
def test_to_categorical_matches_keras_values_and_float64(x, num_classes):
    mine = lamina.utils.to_categorical(x, num_classes)
    theirs = keras.utils.to_categorical(x, num_classes)
    assert mine.dtype == theirs.dtype == np.float64
    np.testing.assert_array_equal(mine, theirs)


def test_to_categorical_of_a_tensor_is_a_float32_tensor_as_in_keras():
    x = torch.tensor([[2], [0]])
    mine = lamina.utils.to_categorical(x, 3)
    theirs = keras.utils.to_categorical(x, 3)
    assert isinstance(mine, torch.Tensor) and mine.dtype == torch.float32
    np.testing.assert_array_equal(mine.numpy(), to_numpy(theirs))


def test_negative_index_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        lamina.utils.to_categorical([-1, 0])
