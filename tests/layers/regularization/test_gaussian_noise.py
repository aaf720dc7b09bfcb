import numpy as np
import pytest
import torch

import lamina
from lamina.layers.regularization.gaussian_noise import GaussianNoise
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {"stddev": 0.5},
        {"stddev": 0.0},
        {"stddev": 1, "seed": 2},
    ],
)
def test_parity_in_inference(kwargs):
    full_parity(
        "GaussianNoise",
        GaussianNoise,
        kwargs,
        (2, 3, 4),
        symbolic=[(3, 4), (None, None)],
    )


@pytest.mark.parametrize("seed", [None, 5])
@pytest.mark.parametrize("stddev", [0.1, 0.8])
def test_noise_statistics_match_keras(stddev, seed):
    x = np.full((100, 100), 2.0, "float32")
    ours = GaussianNoise(stddev, seed=seed)(
        torch.from_numpy(x), training=True
    ).numpy()
    k = to_numpy(
        keras.layers.GaussianNoise(stddev, seed=seed)(x, training=True)
    )
    for out in (ours, k):
        assert abs(out.mean() - 2.0) < 4 * stddev / 100
        assert abs(out.std() - stddev) < 0.03 * stddev


def test_seed_and_inference():
    x = torch.zeros(50)
    assert GaussianNoise(0.3)(x) is x
    a = GaussianNoise(0.3, seed=1)(x, training=True)
    torch.testing.assert_close(a, GaussianNoise(0.3, seed=1)(x, training=True))
    lamina.config.set_random_seed(4)
    b = GaussianNoise(0.3)(x, training=True)
    lamina.config.set_random_seed(4)
    torch.testing.assert_close(b, GaussianNoise(0.3)(x, training=True))


def test_symbolic_in_training():
    out = GaussianNoise(0.3)(lamina.Input((None, 3)), training=True)
    assert out.shape == (None, None, 3)


@pytest.mark.parametrize("stddev", [1.5, -0.1, "a"])
def test_bad_stddev(stddev):
    with pytest.raises(ValueError, match="stddev"):
        GaussianNoise(stddev)
