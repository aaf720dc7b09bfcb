import numpy as np
import pytest
import torch

import lamina
from lamina.layers import Normalization
from tests.keras_oracle import keras, to_numpy
from tests.layers.parity import assert_close, compare_configs, full_parity
from tests.layers.preprocessing.helpers import archive_both_ways

RNG = np.random.default_rng(0)
DATA = (RNG.standard_normal((20, 4, 3)) * 3 + 1).astype("float32")


@pytest.mark.parametrize("axis", [-1, None, (1, 2), 1])
def test_adapt_matches_keras(axis):
    ours, theirs = (
        Normalization(axis=axis),
        keras.layers.Normalization(axis=axis),
    )
    ours.adapt(DATA)
    theirs.adapt(DATA)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert_close(ours(torch.from_numpy(DATA)), theirs(DATA))
    compare_configs(theirs, ours)
    assert ours.get_build_config() == theirs.get_build_config()


def test_adapt_iterable_and_tensor():
    batches = [(DATA[:7], None), (DATA[7:],)]
    ours, theirs = Normalization(), keras.layers.Normalization()
    ours.adapt(iter(batches))
    theirs.adapt(DATA)  # Keras needs tensorflow for iterables
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    again = Normalization()
    again.adapt(torch.from_numpy(DATA))
    np.testing.assert_allclose(
        again.get_weights()[0], theirs.get_weights()[0], rtol=1e-5
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mean": 2.0, "variance": 4.0},
        {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0], "invert": True},
        {"axis": (1, 2), "mean": [1.0, 2.0, 3.0], "variance": [1.0, 2.0, 3.0]},
    ],
)
def test_given_statistics_match_keras(kwargs):
    full_parity("Normalization", Normalization, kwargs, (2, 4, 3))


def test_not_adapted_is_identity_like_keras():
    x = DATA[:2]
    assert_close(
        Normalization()(torch.from_numpy(x)), keras.layers.Normalization()(x)
    )


def test_weights_layout():
    layer = Normalization()
    layer.adapt(DATA)
    assert [w.shape for w in layer.get_weights()] == [(3,), (3,), ()]
    assert layer.get_weights()[2].dtype == np.int32
    assert layer.trainable_weights == []


def test_bad_arguments():
    with pytest.raises(ValueError, match="Normalization.*axis"):
        Normalization(axis=3)(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="Normalization.*both `mean`"):
        Normalization(mean=1.0)
    with pytest.raises(ValueError, match="same shape"):
        Normalization(mean=[1.0, 2.0], variance=[1.0])
    layer = Normalization()
    layer.adapt(DATA)
    with pytest.raises(ValueError, match="incompatible shape"):
        layer.adapt(np.zeros((3, 4, 5), "float32"))
    with pytest.raises(ValueError, match="empty iterable"):
        Normalization().adapt([])


def test_archive_both_ways_adapted(tmp_path):
    archive_both_ways(
        lambda lib: lib.layers.Normalization(),
        (4, 3),
        DATA[:3],
        tmp_path,
        prepare=lambda l: l.adapt(DATA),
    )


def test_in_fit_and_functional_shape():
    layer = Normalization()
    layer.adapt(DATA)
    inputs = lamina.Input((4, 3))
    out = lamina.layers.Dense(1)(layer(inputs))
    assert tuple(out.shape) == (None, 4, 1)
    model = lamina.Model(inputs, out)
    model.compile(optimizer="sgd", loss="mse")
    model.fit(DATA, np.zeros((20, 4, 1)), epochs=1, verbose=0)
    np.testing.assert_allclose(
        to_numpy(layer.adapt_mean), DATA.mean(axis=(0, 1)), rtol=1e-5
    )
