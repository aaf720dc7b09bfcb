"""`Model.export(format="torch")`: a `.pt2` torch.export program,
reloaded with `torch.export.load`, equal to the model and to Keras's own
`.pt2` export of the same weights."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras


def _models():
    layers = lambda lib: [  # noqa: E731
        lib.Input((5,)),
        lib.layers.Dense(7, activation="relu"),
        lib.layers.BatchNormalization(),
        lib.layers.Dropout(0.5),
        lib.layers.Dense(3),
    ]
    ours, theirs = (
        lamina.Sequential(layers(lamina)),
        keras.Sequential(layers(keras)),
    )
    rng = np.random.default_rng(0)
    weights = [
        rng.normal(size=w.shape).astype("float32") for w in ours.get_weights()
    ]
    weights[5] = np.abs(weights[5]) + 0.5  # moving variance
    ours.set_weights(weights)
    theirs.set_weights(weights)
    return ours, theirs


@pytest.mark.parametrize("batch", [1, 4])
def test_matches_the_model_and_keras(tmp_path, batch):
    ours, theirs = _models()
    path = str(tmp_path / "ours.pt2")
    assert ours.export(path, format="torch", verbose=False) == path
    theirs.export(str(tmp_path / "theirs.pt2"), format="torch", verbose=False)
    x = torch.from_numpy(
        np.random.default_rng(batch).random((batch, 5), "float32")
    )
    got = torch.export.load(path).module()(x)
    torch.testing.assert_close(got, ours(x, training=False).detach())
    want = keras.ops.convert_to_numpy(theirs(x, training=False))
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)
    if batch == 1:  # Keras's program fixes the batch size it was traced at
        keras_program = torch.export.load(str(tmp_path / "theirs.pt2"))
        torch.testing.assert_close(got, keras_program.module()(x))


def test_needs_a_pt2_path(tmp_path):
    ours, _ = _models()
    with pytest.raises(ValueError, match=r"end with '.pt2'. Got: .*model.pt$"):
        ours.export(str(tmp_path / "model.pt"), format="torch")
