import math

import numpy as np
import pytest
import torch

from lamina.layers.regularization.gaussian_dropout import GaussianDropout
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate": 0.5},
        {"rate": 0.0},
        {"rate": 0.2, "seed": 3},
    ],
)
def test_parity_in_inference(kwargs):
    full_parity(
        "GaussianDropout",
        GaussianDropout,
        kwargs,
        (2, 3, 4),
        symbolic=[(3, 4), (None, 4)],
    )


@pytest.mark.parametrize("seed", [None, 8])
@pytest.mark.parametrize("rate", [0.1, 0.5])
def test_noise_statistics_match_keras(rate, seed):
    x = np.full((100, 100), 3.0, "float32")
    std = 3.0 * math.sqrt(rate / (1 - rate))
    ours = GaussianDropout(rate, seed=seed)(
        torch.from_numpy(x), training=True
    ).numpy()
    k = to_numpy(
        keras.layers.GaussianDropout(rate, seed=seed)(x, training=True)
    )
    for out in (ours, k):
        assert abs(out.mean() - 3.0) < 4 * std / 100  # expected value kept
        assert abs(out.std() - std) < 0.03 * std


def test_seeded_and_inference():
    x = torch.ones(20)
    assert GaussianDropout(0.3)(x) is x
    torch.testing.assert_close(
        GaussianDropout(0.3, seed=1)(x, training=True),
        GaussianDropout(0.3, seed=1)(x, training=True),
    )


@pytest.mark.parametrize("rate", [1.5, -0.1, None])
def test_bad_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        GaussianDropout(rate)


def test_rate_one_in_training():
    layer = GaussianDropout(1.0, name="gd")
    assert layer(torch.ones(3)).tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match=r"'gd' \(GaussianDropout\).*rate"):
        layer(torch.ones(3), training=True)
