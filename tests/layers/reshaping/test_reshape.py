import numpy as np
import pytest
import torch

import lamina
from lamina.layers.reshaping.reshape import Reshape
from tests.layers.parity import compare_symbolic
from tests.layers.parity import full_parity
from tests.layers.parity import random_input
from tests.keras_oracle import keras


@pytest.mark.parametrize(
    "target_shape, input_shape",
    [
        ((3, 4), (2, 12)),
        ((-1, 2), (2, 3, 4)),
        ((4, -1, 1), (2, 8)),
        ((6,), (2, 2, 3)),
        ([-1], (3, 2, 2)),
    ],
)
def test_parity(target_shape, input_shape):
    full_parity("Reshape", Reshape, {"target_shape": target_shape}, input_shape)


@pytest.mark.parametrize(
    "target_shape, input_shape",
    [
        ((-1, 3), (None, 6)),
        ((2, 3), (None,)),
        ((-1, 2), (3, None)),
        ((-1,), (None, 4)),
        ((2, -1), (4, 6)),
    ],
)
def test_symbolic_shapes_with_unknown_dims(target_shape, input_shape):
    compare_symbolic(
        lambda: keras.layers.Reshape(target_shape),
        lambda: Reshape(target_shape),
        input_shape,
    )


def test_symbolic_keeps_dtype():
    out = Reshape((2, 3))(lamina.Input((6,), dtype="int32"))
    assert out.dtype == "int32"
    assert Reshape((2, 3)).compute_output_shape((None, 6)) == (None, 2, 3)


def test_functional_model_runs():
    inputs = lamina.Input((None, 4))
    model = lamina.Model(inputs, Reshape((-1, 2))(inputs))
    x = random_input((2, 3, 4))
    out = model(torch.from_numpy(x))
    np.testing.assert_array_equal(out.numpy(), x.reshape(2, 6, 2))


@pytest.mark.parametrize("target_shape", [(-1, -1), (2, -2), "ab", 3])
def test_bad_target_shape(target_shape):
    with pytest.raises(ValueError, match="target_shape"):
        Reshape(target_shape)


@pytest.mark.parametrize("target_shape", [(4,), (-1, 4), (0, -1)])
def test_size_mismatch_eager(target_shape):
    with pytest.raises(ValueError, match=r"Reshape.*target_shape"):
        Reshape(target_shape, name="rs")(torch.zeros(2, 3))


def test_size_mismatch_symbolic():
    with pytest.raises(ValueError, match=r"Layer 'rs' \(Reshape\)"):
        Reshape((-1, 4), name="rs")(lamina.Input((3,)))
