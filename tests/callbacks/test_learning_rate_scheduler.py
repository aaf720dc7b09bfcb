"""LearningRateScheduler: the learning-rate sequence against Keras's."""

import numpy as np
import pytest
import torch

import lamina
from tests.callbacks.fakes import FakeModel
from tests.callbacks.fakes import drive
from tests.callbacks.fakes import keras_model
from tests.keras_oracle import keras


def rates(module, model, schedule, read_lr, epochs=5):
    callback = module.LearningRateScheduler(schedule)
    seen = []
    callback.set_model(model)
    for epoch in range(epochs):
        callback.on_epoch_begin(epoch)
        logs = {"loss": 1.0}
        callback.on_epoch_end(epoch, logs)
        seen.append((read_lr(model), logs["learning_rate"]))
    return seen


@pytest.mark.parametrize(
    "schedule",
    [
        lambda epoch, lr: lr * 0.5 if epoch >= 2 else lr,
        lambda epoch: 0.01 * (epoch + 1),
        lambda epoch, lr: np.float32(lr * 0.9),
    ],
)
def test_matches_keras(schedule):
    ours = rates(
        lamina.callbacks,
        FakeModel(0.1),
        schedule,
        lambda m: m.optimizer.learning_rate,
    )
    theirs = rates(
        keras.callbacks,
        keras_model(0.1),
        schedule,
        lambda m: float(m.optimizer.learning_rate),
    )
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_tensor_result_and_verbose(capsys):
    model = FakeModel(0.1)
    callback = lamina.callbacks.LearningRateScheduler(
        lambda epoch, lr: torch.tensor(0.05), verbose=1
    )
    drive(callback, model, [{"loss": 1.0}])
    assert model.optimizer.learning_rate == pytest.approx(0.05)
    assert capsys.readouterr().out == (
        "\nEpoch 1: LearningRateScheduler setting learning rate to "
        f"{float(torch.tensor(0.05))}.\n"
    )


def test_bad_schedule_output_and_argument():
    callback = lamina.callbacks.LearningRateScheduler(lambda epoch, lr: "x")
    callback.set_model(FakeModel())
    with pytest.raises(
        ValueError,
        match="The output of the `schedule` function should be a float. Got: x",
    ):
        callback.on_epoch_begin(0)
    with pytest.raises(
        TypeError,
        match=r"`schedule` of LearningRateScheduler"
        r".*Received: schedule=0.1",
    ):
        lamina.callbacks.LearningRateScheduler(0.1)


def test_type_error_inside_schedule_is_not_swallowed():
    def schedule(epoch, lr):
        return lr + "oops"

    callback = lamina.callbacks.LearningRateScheduler(schedule)
    callback.set_model(FakeModel())
    with pytest.raises(TypeError, match="unsupported operand"):
        callback.on_epoch_begin(0)
