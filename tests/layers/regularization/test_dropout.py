import numpy as np
import pytest
import torch

import lamina
from lamina.layers.regularization.dropout import Dropout
from tests.layers.parity import full_parity

N = 10_000


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate": 0.5},
        {"rate": 0.0},
        {"rate": 1, "seed": 3},
        {"rate": 0.25, "noise_shape": (None, 1, 4), "seed": 1},
    ],
)
def test_parity_in_inference(kwargs):
    full_parity(
        "Dropout", Dropout, kwargs, (2, 3, 4), symbolic=[(3, 4), (None, 4)]
    )


@pytest.mark.parametrize("seed", [None, 7])
@pytest.mark.parametrize("rate", [0.2, 0.7])
def test_training_drops_rate_and_rescales(rate, seed):
    x = torch.ones(N)
    y = Dropout(rate, seed=seed)(x, training=True)
    dropped = float((y == 0).float().mean())
    assert abs(dropped - rate) < 0.03
    kept = y[y != 0]
    torch.testing.assert_close(kept, torch.full_like(kept, 1 / (1 - rate)))
    assert abs(float(y.mean()) - 1.0) < 0.1  # expected value kept


def test_identity_by_default_and_when_not_training():
    x = torch.randn(4, 5)
    layer = Dropout(0.5)
    assert layer(x) is x
    assert layer(x, training=False) is x


def test_rate_edges_in_training():
    x = torch.randn(4, 5)
    assert Dropout(0.0)(x, training=True) is x
    assert (Dropout(1.0)(x, training=True) == 0).all()


@pytest.mark.parametrize("noise_shape", [(None, 1, 8), (4, 1, None)])
def test_noise_shape_broadcasts(noise_shape):
    layer = Dropout(0.5, noise_shape=noise_shape, seed=2)
    y = layer(torch.ones(4, 50, 8), training=True)
    assert (y == y[:, :1, :]).all()  # same mask at every step
    assert 0 < float((y == 0).float().mean()) < 1


def test_seed_repeats_sequence():
    x = torch.ones(100)
    a, b = Dropout(0.5, seed=11), Dropout(0.5, seed=11)
    first = a(x, training=True)
    torch.testing.assert_close(first, b(x, training=True))
    assert not torch.equal(first, a(x, training=True))


def test_no_seed_follows_global_generator():
    x = torch.ones(100)
    layer = Dropout(0.5, noise_shape=(None,))
    lamina.config.set_random_seed(5)
    first = layer(x, training=True)
    lamina.config.set_random_seed(5)
    torch.testing.assert_close(first, layer(x, training=True))


def test_dropped_entries_are_exactly_zero():
    x = torch.full((200,), float("inf"))
    y = Dropout(0.5, seed=0)(x, training=True)
    assert not torch.isnan(y).any() and (y == 0).any()


def test_mask_passes_through():
    x = torch.ones(2, 3)
    x._keras_mask = torch.tensor([[True, False, True]] * 2)
    y = Dropout(0.5)(x)
    assert torch.equal(y._keras_mask, x._keras_mask)


def test_training_symbolic_shape():
    out = Dropout(0.5, noise_shape=(None, 1))(lamina.Input((3,)), training=True)
    assert out.shape == (None, 3)


@pytest.mark.parametrize("rate", [1.5, -0.1, "a", None])
def test_bad_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        Dropout(rate=rate)


@pytest.mark.parametrize("noise_shape", ["abc", 3, (0, 1), (1.5, None)])
def test_bad_noise_shape(noise_shape):
    with pytest.raises(ValueError, match="noise_shape"):
        Dropout(0.5, noise_shape=noise_shape)


def test_noise_shape_rank_mismatch():
    with pytest.raises(ValueError, match=r"'d' \(Dropout\).*noise_shape"):
        Dropout(0.5, noise_shape=(None, 1), name="d")(
            torch.ones(2, 3, 4), training=True
        )


def test_bad_seed():
    with pytest.raises(ValueError, match="seed"):
        Dropout(0.5, seed="x")


def test_statistics_match_keras():
    from tests.keras_oracle import keras, to_numpy

    x = np.ones((100, 100), "float32")
    k = to_numpy(keras.layers.Dropout(0.3, seed=1)(x, training=True))
    ours = Dropout(0.3, seed=1)(torch.from_numpy(x), training=True).numpy()
    assert abs((k == 0).mean() - (ours == 0).mean()) < 0.03
    np.testing.assert_allclose(np.unique(k), np.unique(ours), rtol=1e-6)
