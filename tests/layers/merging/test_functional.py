import numpy as np
import pytest
import torch

import lamina
from lamina.layers.merging import functional
from tests.keras_oracle import keras, to_numpy

NAMES = [
    "add",
    "subtract",
    "multiply",
    "average",
    "maximum",
    "minimum",
    "concatenate",
]


@pytest.mark.parametrize("name", NAMES)
def test_eager_matches_keras(rng, name):
    a, b = (rng.normal(size=(2, 3)).astype("float32") for _ in range(2))
    ours = getattr(functional, name)([torch.tensor(a), torch.tensor(b)])
    theirs = getattr(keras.layers, name)([torch.tensor(a), torch.tensor(b)])
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=1e-6)


def test_dot_with_axes_and_normalize(rng):
    a, b = (rng.normal(size=(2, 3, 4)).astype("float32") for _ in range(2))
    ours = functional.dot(
        [torch.tensor(a), torch.tensor(b)], axes=2, normalize=True
    )
    theirs = keras.layers.dot(
        [torch.tensor(a), torch.tensor(b)], axes=2, normalize=True
    )
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=1e-6)


def test_symbolic_with_name():
    x, y = lamina.Input((3,)), lamina.Input((3,))
    out = functional.concatenate([x, y], axis=-1, name="joined")
    assert out.shape == (None, 6)
    assert out._keras_history.operation.name == "joined"
    model = lamina.Model([x, y], out)
    assert model([torch.ones(2, 3), torch.zeros(2, 3)]).shape == (2, 6)
