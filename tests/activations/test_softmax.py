"""softmax, log_softmax and sparsemax against Keras 3 and a reference."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize(
    "axis,shape",
    [
        (-1, (3, 5)),
        (0, (4, 3)),
        (1, (2, 3, 4)),
        ((1, 2), (2, 3, 4)),
        ((0, 2), (2, 3, 4)),
        (None, (3, 4)),
    ],
)
def test_matches_keras(name, axis, shape):
    x = (np.random.randn(*shape) * 2).astype("float32")
    ours = getattr(lamina.activations, name)(torch.from_numpy(x), axis=axis)
    theirs = getattr(keras.activations, name)(torch.from_numpy(x), axis=axis)
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(theirs), rtol=1e-5, atol=1e-6
    )


def test_softmax_float64():
    x = np.random.randn(3, 4)
    ours = lamina.activations.softmax(torch.from_numpy(x))
    assert ours.dtype == torch.float64
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(keras.activations.softmax(x)), rtol=1e-12
    )


def test_softmax_over_size_one_axis_warns():
    with pytest.warns(UserWarning, match="has size 1"):
        lamina.activations.softmax(torch.randn(3, 1))


def _sparsemax_reference(z):
    # Martins & Astudillo (2016), Algorithm 1, one row at a time.
    out = np.zeros_like(z)
    for i, row in enumerate(z):
        s = np.sort(row)[::-1]
        cums = np.cumsum(s)
        ks = np.arange(1, len(row) + 1)
        k = ks[1 + ks * s > cums].max()
        tau = (cums[k - 1] - 1) / k
        out[i] = np.maximum(row - tau, 0)
    return out


@pytest.mark.parametrize("scale", [0.3, 1.0, 5.0])
def test_sparsemax_matches_reference_and_sums_to_one(scale):
    z = (np.random.randn(6, 7) * scale).astype("float32")
    ours = lamina.activations.sparsemax(torch.from_numpy(z)).numpy()
    np.testing.assert_allclose(
        ours, _sparsemax_reference(z), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(ours.sum(-1), 1.0, rtol=1e-5)
    assert (ours >= 0).all()


def test_sparsemax_other_axis():
    z = np.random.randn(5, 4).astype("float32")
    ours = lamina.activations.sparsemax(torch.from_numpy(z), axis=0).numpy()
    np.testing.assert_allclose(
        ours, _sparsemax_reference(z.T).T, rtol=1e-5, atol=1e-6
    )


def test_sparsemax_matches_keras_when_support_is_one_element():
    # Keras 3.15 is right only for a support of size one (its tau is wrong
    # otherwise: keras-team/keras#23425); widely spread logits give that.
    z = np.array([[1.0, 5.0, 2.0], [9.0, 0.0, -3.0]], dtype="float32")
    ours = lamina.activations.sparsemax(torch.from_numpy(z))
    theirs = keras.activations.sparsemax(torch.from_numpy(z))
    np.testing.assert_allclose(ours.numpy(), to_numpy(theirs), atol=1e-6)


def test_sparsemax_known_value():
    z = torch.tensor([[0.0, 0.5, 1.0]])
    np.testing.assert_allclose(
        lamina.activations.sparsemax(z), [[0.0, 0.25, 0.75]], atol=1e-6
    )
