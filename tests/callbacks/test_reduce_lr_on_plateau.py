"""ReduceLROnPlateau: the learning-rate sequence against Keras's."""

import numpy as np
import pytest
import torch

import lamina
from tests.callbacks.fakes import FakeModel
from tests.callbacks.fakes import keras_model
from tests.keras_oracle import keras

LOSSES = [1.0, 0.9, 0.9, 0.95, 0.91, 0.9, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9]

CASES = [
    dict(patience=0),
    dict(patience=1, factor=0.5),
    dict(patience=2, factor=0.5, cooldown=2),
    dict(patience=1, factor=0.1, min_lr=0.002),
    dict(patience=1, factor=0.5, min_delta=0.03),
    dict(patience=1, mode="max", monitor="val_acc"),
]


def lr_sequence(callback, model, read_lr):
    callback.set_model(model)
    callback.on_train_begin()
    rates, logged = [], []
    for epoch, loss in enumerate(LOSSES):
        logs = {"val_loss": loss, "val_acc": 1.0 - loss}
        callback.on_epoch_end(epoch, logs)
        rates.append(read_lr(model))
        logged.append(logs["learning_rate"])
    return rates, logged


@pytest.mark.parametrize("kwargs", CASES)
def test_matches_keras(kwargs):
    ours, ours_logged = lr_sequence(
        lamina.callbacks.ReduceLROnPlateau(**kwargs),
        FakeModel(0.1),
        lambda m: m.optimizer.learning_rate,
    )
    theirs, theirs_logged = lr_sequence(
        keras.callbacks.ReduceLROnPlateau(**kwargs),
        keras_model(0.1),
        lambda m: float(m.optimizer.learning_rate),
    )
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    np.testing.assert_allclose(ours_logged, theirs_logged, rtol=1e-6)
    assert len(set(ours)) > 1 or kwargs.get("min_delta")


def test_tensor_learning_rate_and_verbose_message(capsys):
    model = FakeModel()

    class TensorLR:
        learning_rate = torch.tensor(0.1)

    model.optimizer = TensorLR()
    callback = lamina.callbacks.ReduceLROnPlateau(
        monitor="loss", patience=0, factor=0.5, verbose=1
    )
    callback.set_model(model)
    callback.on_train_begin()
    callback.on_epoch_end(0, {"loss": 1.0})
    callback.on_epoch_end(1, {"loss": 1.0})
    assert model.optimizer.learning_rate == pytest.approx(0.05)
    out = capsys.readouterr().out
    assert out.startswith("\nEpoch 2: ReduceLROnPlateau reducing learning rate")


def test_bad_arguments():
    with pytest.raises(
        ValueError,
        match="does not support a factor >= 1.0. Received factor=1.5",
    ):
        lamina.callbacks.ReduceLROnPlateau(factor=1.5)
    with pytest.raises(ValueError, match="`mode` of ReduceLROnPlateau"):
        lamina.callbacks.ReduceLROnPlateau(mode="lowest")
    with pytest.raises(
        TypeError,
        match="Unrecognized keyword arguments "
        "passed to ReduceLROnPlateau: {'epsilon': 0.1}",
    ):
        lamina.callbacks.ReduceLROnPlateau(epsilon=0.1)
