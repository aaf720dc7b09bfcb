import numpy as np
import pytest
import torch

import lamina
from lamina.layers.pooling.global_average_pooling1d import (
    GlobalAveragePooling1D,
)
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.parity import random_input


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"keepdims": True},
        {"data_format": "channels_first"},
        {"data_format": "channels_first", "keepdims": True},
    ],
)
def test_mask_matches_keras(kwargs):
    rng = np.random.default_rng(0)
    shape = (3, 4, 6) if kwargs.get("data_format") else (3, 6, 4)
    x = random_input(shape)
    mask = rng.uniform(size=(3, 6)) > 0.5
    mask[:, 0] = True  # every row keeps a step
    k_out = keras.layers.GlobalAveragePooling1D(**kwargs)(x, mask=mask)
    xt = torch.tensor(x, requires_grad=True)
    out = GlobalAveragePooling1D(**kwargs)(xt, mask=torch.from_numpy(mask))
    np.testing.assert_allclose(to_numpy(out), to_numpy(k_out), rtol=1e-6)
    steps = 2 if kwargs.get("data_format") else 1
    x_last = x if steps == 1 else x.swapaxes(1, 2)
    expected = np.stack([x_last[i, mask[i]].mean(0) for i in range(3)])
    np.testing.assert_allclose(to_numpy(out).reshape(3, 4), expected, rtol=1e-5)
    out.sum().backward()
    # Masked steps get no gradient; kept steps share it equally.
    grad = xt.grad.numpy() if steps == 1 else xt.grad.numpy().swapaxes(1, 2)
    assert np.all(grad[~mask] == 0)
    np.testing.assert_allclose(
        grad[mask][:, 0], np.repeat(1 / mask.sum(1), mask.sum(1)), rtol=1e-6
    )


def test_mask_from_embedding_in_a_model():
    tokens = np.array([[3, 5, 0, 0], [2, 0, 0, 0]])
    inputs = lamina.Input((4,), dtype="int64")
    embedded = lamina.layers.Embedding(7, 3, mask_zero=True)(inputs)
    pooled = GlobalAveragePooling1D()(embedded)
    model = lamina.Model(inputs, pooled)
    assert tuple(pooled.shape) == (None, 3)
    embedding = model.layers[1]
    table = embedding.get_weights()[0]
    out = model(torch.from_numpy(tokens)).detach().numpy()
    np.testing.assert_allclose(out[0], table[[3, 5]].mean(0), rtol=1e-6)
    np.testing.assert_allclose(out[1], table[2], rtol=1e-6)
    assert getattr(model(torch.from_numpy(tokens)), "_keras_mask", None) is None


def test_no_mask_is_a_plain_mean():
    x = torch.from_numpy(random_input((2, 5, 3)))
    torch.testing.assert_close(GlobalAveragePooling1D()(x), x.mean(1))
