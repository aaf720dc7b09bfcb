import numpy as np
import pytest
import torch

from lamina.layers.regularization.alpha_dropout import AlphaDropout
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.parity import full_parity

# SELU's negative saturation value, -alpha * scale.
ALPHA_P = -1.6732632423543772848170429916717 * (
    1.0507009873554804934193349852946
)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate": 0.5},
        {"rate": 0.0},
        {"rate": 0.2, "noise_shape": (None, 1, 4), "seed": 3},
    ],
)
def test_parity_in_inference(kwargs):
    full_parity(
        "AlphaDropout",
        AlphaDropout,
        kwargs,
        (2, 3, 4),
        symbolic=[(3, 4), (None, 4)],
    )


@pytest.mark.parametrize("seed", [None, 2])
@pytest.mark.parametrize("rate", [0.1, 0.4])
def test_statistics_match_keras(rate, seed):
    x = np.random.default_rng(0).standard_normal((100, 100)).astype("f4")
    ours = AlphaDropout(rate, seed=seed)(
        torch.from_numpy(x), training=True
    ).numpy()
    k = to_numpy(keras.layers.AlphaDropout(rate, seed=seed)(x, training=True))
    a = ((1 - rate) * (1 + rate * ALPHA_P**2)) ** -0.5
    dropped_value = a * ALPHA_P - a * ALPHA_P * rate
    for out in (ours, k):
        # Self-normalising: zero mean, unit variance are kept.
        assert abs(out.mean()) < 0.05 and abs(out.std() - 1) < 0.05
        frac = np.isclose(out, dropped_value, atol=1e-6).mean()
        assert abs(frac - rate) < 0.03
    kept = ~np.isclose(ours, dropped_value, atol=1e-6)
    b = -a * ALPHA_P * rate
    np.testing.assert_allclose(
        ours[kept], a * x[kept] + b, rtol=1e-5, atol=1e-6
    )


def test_noise_shape_broadcasts():
    y = AlphaDropout(0.5, noise_shape=(None, 1, 6), seed=1)(
        torch.zeros(3, 20, 6), training=True
    )
    assert (y == y[:, :1, :]).all()


def test_identity_in_inference():
    x = torch.randn(3, 4)
    assert AlphaDropout(0.5)(x) is x


def test_bad_args():
    with pytest.raises(ValueError, match="rate"):
        AlphaDropout(1.2)
    with pytest.raises(ValueError, match="noise_shape"):
        AlphaDropout(0.5, noise_shape=(-1, 2))
    with pytest.raises(ValueError, match=r"\(AlphaDropout\).*rate"):
        AlphaDropout(1.0)(torch.ones(3), training=True)
