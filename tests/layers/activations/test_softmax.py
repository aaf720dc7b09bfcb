import numpy as np
import pytest
import torch

import lamina
from lamina.layers.activations.softmax import Softmax
from tests.keras_oracle import keras
from tests.layers.parity import assert_close
from tests.layers.parity import full_parity
from tests.layers.parity import random_input


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"axis": 1},
        {"axis": (1, 2)},
        {"axis": [2]},
        {"axis": -2},
    ],
)
def test_parity(kwargs):
    full_parity(
        "Softmax", Softmax, kwargs, (2, 3, 4), symbolic=[(3, 4), (None, 4)]
    )


@pytest.mark.parametrize(
    "mask_shape, dtype",
    [
        ((2, 3, 4), "bool"),
        ((2, 1, 4), "bool"),
        ((4,), "bool"),
        ((2, 3, 4), "float32"),
    ],
)
def test_mask_matches_keras(mask_shape, dtype):
    rng = np.random.default_rng(3)
    x = random_input((2, 3, 4))
    mask = rng.uniform(size=mask_shape) > 0.4
    mask = mask.astype(dtype)
    mask.flat[0] = False  # keep at least one masked position
    out = Softmax()(torch.from_numpy(x), mask=torch.from_numpy(mask))
    k_out = keras.layers.Softmax()(x, mask=mask)
    assert_close(out, k_out)
    assert float(out.numpy()[np.broadcast_to(mask, x.shape) == 0].max()) == 0


def test_fully_masked_axis_gives_zeros():
    x = torch.randn(2, 3)
    mask = torch.tensor([[True, True, False], [False, False, False]])
    out = Softmax()(x, mask=mask)
    assert torch.equal(out[1], torch.zeros(3))
    torch.testing.assert_close(out[0].sum(), torch.tensor(1.0))


def test_keras_mask_is_used_and_kept():
    x = torch.randn(2, 3)
    x._keras_mask = torch.tensor([[True, False, True]] * 2)
    out = Softmax()(x)
    assert (out[:, 1] == 0).all()
    assert torch.equal(out._keras_mask, x._keras_mask)


def test_symbolic_with_mask():
    inputs = lamina.Input((None, 4))
    mask = lamina.Input((None, 4), dtype="bool")
    out = Softmax()(inputs, mask=mask)
    assert out.shape == (None, None, 4)


@pytest.mark.parametrize("mask_shape", [(2, 3, 5), (1, 2, 3, 4)])
def test_mask_not_broadcastable(mask_shape):
    with pytest.raises(ValueError, match=r"'s' \(Softmax\).*mask"):
        Softmax(name="s")(
            torch.zeros(2, 3, 4), mask=torch.ones(mask_shape, dtype=torch.bool)
        )
