"""Gradient clipping helpers against Keras 3's rules."""

import numpy as np
import pytest
import torch

from lamina.optimizers import gradient_clipping
from tests.keras_oracle import keras, to_numpy


def _grads(scale):
    rng = np.random.default_rng(3)
    return [
        torch.tensor((rng.normal(size=s) * scale).astype("float32"))
        for s in [(4, 3), (3,), ()]
    ]


@pytest.mark.parametrize("scale", [0.01, 1.0, 10.0])
@pytest.mark.parametrize("clip", [0.1, 1.0])
def test_clip_by_norm_matches_keras(scale, clip):
    grads = _grads(scale)
    ours = gradient_clipping.clip_by_norm(grads, clip)
    opt = keras.optimizers.SGD(clipnorm=clip)
    theirs = opt._clip_gradients(grads)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), to_numpy(b), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("scale", [0.01, 1.0, 10.0])
def test_clip_by_global_norm_matches_keras(scale):
    grads = _grads(scale)
    ours = gradient_clipping.clip_by_global_norm(grads, 1.0)
    theirs = keras.optimizers.SGD(global_clipnorm=1.0)._clip_gradients(grads)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), to_numpy(b), rtol=1e-6, atol=1e-7)


def test_clip_by_value_and_zero_gradient():
    grads = [torch.tensor([-3.0, 0.2, 5.0]), torch.zeros(2)]
    clipped = gradient_clipping.clip_by_value(grads, 1.0)
    torch.testing.assert_close(clipped[0], torch.tensor([-1.0, 0.2, 1.0]))
    torch.testing.assert_close(
        gradient_clipping.clip_by_norm([torch.zeros(2)], 1.0)[0], torch.zeros(2)
    )


def test_non_finite_global_norm_gives_nan_like_keras():
    grads = [torch.tensor([float("inf"), 1.0])]
    out = gradient_clipping.clip_by_global_norm(grads, 1.0)
    assert torch.isnan(out[0]).all()
