"""CallbackList: the exact hook order, logs conversion, error context,
`needs_batch_logs` and stop reasons."""

import numpy as np
import pytest
import torch

import lamina
from lamina.callbacks import Callback
from lamina.callbacks import CallbackList
from lamina.callbacks.callback import ALL_HOOKS
from lamina.callbacks.callback import LOOP_HOOKS
from tests.callbacks.fakes import FakeModel
from tests.keras_oracle import keras

from keras.src.utils.python_utils import pythonify_logs  # noqa: E402


class Recorder(Callback):
    """Records every hook call (Lightning's HookedCallback)."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name in ALL_HOOKS:
            calls = object.__getattribute__(self, "calls")

            def record(*args, logs=None):
                index = None if name in LOOP_HOOKS else args[0]
                calls.append((name, index))

            return record
        return object.__getattribute__(self, name)


def fake_fit(callbacks, model, epochs=2, steps=3, validation_steps=3):
    """Drive `callbacks` through a loop's hooks, to unit-test the list's
    dispatch (the real `fit`'s order is `tests/trainers/test_hook_order`)."""
    model.stop_training = False
    callbacks.on_train_begin()
    logs = None
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        for step in range(steps):
            callbacks.on_train_batch_begin(step)
            callbacks.on_train_batch_end(step, {"loss": torch.tensor(0.5)})
            if model.stop_training:
                break
        logs = {"loss": torch.tensor(0.5)}
        if validation_steps:
            callbacks.on_test_begin()
            for step in range(validation_steps):
                callbacks.on_test_batch_begin(step)
                callbacks.on_test_batch_end(step, {"loss": 0.25})
            callbacks.on_test_end({"loss": 0.25})
            logs["val_loss"] = torch.tensor(0.25)
        callbacks.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    callbacks.on_train_end(logs)


def test_default_callbacks_and_params_like_keras():
    user = lamina.callbacks.EarlyStopping()
    ours = CallbackList(
        [[user]],
        add_history=True,
        add_progbar=True,
        model=FakeModel(),
        verbose=1,
        epochs=2,
        steps=5,
    )
    theirs = keras.callbacks.CallbackList(
        [keras.callbacks.EarlyStopping()],
        add_history=True,
        add_progbar=True,
        verbose=1,
        epochs=2,
        steps=5,
    )
    names = [type(c).__name__ for c in ours.callbacks]
    assert names == [type(c).__name__ for c in theirs.callbacks]
    assert user.params == {"verbose": 1, "epochs": 2, "steps": 5}
    assert ours.model.history is ours.callbacks[1]
    existing = lamina.callbacks.History()
    again = CallbackList([existing], add_history=True)
    assert again.callbacks == [existing]


def test_logs_become_python_floats_shared_by_all_callbacks():
    seen = []
    first = lamina.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: logs.update(extra=1.5)
    )
    second = lamina.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(dict(logs))
    )
    callbacks = CallbackList([first, second])

    def raw_logs():
        return {
            "val_loss": torch.tensor(0.5, dtype=torch.bfloat16),
            "acc": np.float32(0.25),
            "count": np.array(3),
            "steps": 2,
            "name": "run",
            "nested": {"mae": torch.tensor([0.75])},
        }

    callbacks.on_epoch_end(0, raw_logs())
    expected = pythonify_logs(raw_logs())  # Keras: same keys, same order.
    expected["extra"] = 1.5
    assert seen == [expected]
    assert list(seen[0]) == list(expected)
    assert all(type(seen[0][k]) is float for k in ("acc", "mae", "val_loss"))


class Boom(Callback):
    def __init__(self, error):
        super().__init__()
        self.error = error

    def on_epoch_end(self, epoch, logs=None):
        raise self.error


def test_exception_carries_callback_and_hook():
    original = ValueError("loss went sideways")
    callbacks = CallbackList([lamina.callbacks.History(), Boom(original)])
    with pytest.raises(
        ValueError,
        match=r"^Exception in callback `Boom` "
        r"during `on_epoch_end`: loss went sideways$",
    ) as e:
        callbacks.on_epoch_end(0, {})
    assert e.value.__cause__ is original


def test_exception_that_needs_more_arguments_gets_a_note():
    class CodeError(Exception):
        def __init__(self, code, text):
            super().__init__(f"{code}: {text}")

    original = CodeError(7, "bad")
    with pytest.raises(CodeError) as e:
        CallbackList([Boom(original)]).on_epoch_end(0)
    assert e.value is original
    assert (
        "Exception in callback `Boom` during `on_epoch_end`"
        in (e.value.__notes__[0])
    )


def test_nested_lists_do_not_repeat_context():
    inner = CallbackList([Boom(KeyError("k"))])
    with pytest.raises(KeyError) as e:
        CallbackList([inner]).on_epoch_end(0)
    assert str(e.value).count("Exception in callback") == 1


def test_keyboard_interrupt_is_not_wrapped():
    original = KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt) as e:
        CallbackList([Boom(original)]).on_epoch_end(0)
    assert e.value is original


class OnTestBatch(Callback):
    def on_test_batch_begin(self, batch, logs=None):
        pass


@pytest.mark.parametrize(
    "callbacks, params, expected",
    [
        ([], {}, False),
        ([lamina.callbacks.History()], {}, False),
        (
            [
                lamina.callbacks.EarlyStopping(),
                lamina.callbacks.CSVLogger("x.csv"),
            ],
            {},
            False,
        ),
        ([lamina.callbacks.ModelCheckpoint("m.keras")], {}, False),
        ([lamina.callbacks.ModelCheckpoint("m.keras", save_freq=5)], {}, True),
        ([lamina.callbacks.TerminateOnNaN()], {}, True),
        ([lamina.callbacks.LambdaCallback(on_epoch_end=print)], {}, False),
        ([lamina.callbacks.LambdaCallback(on_train_batch_end=print)], {}, True),
        ([OnTestBatch()], {}, True),
        (
            [lamina.callbacks.ProgbarLogger()],
            dict(verbose=1, epochs=1, steps=2),
            True,
        ),
        (
            [lamina.callbacks.ProgbarLogger()],
            dict(verbose=2, epochs=1, steps=2),
            False,
        ),
        (
            [lamina.callbacks.ProgbarLogger()],
            dict(verbose=2, epochs=1, steps=None),
            True,
        ),
    ],
)
def test_needs_batch_logs(callbacks, params, expected):
    assert CallbackList(callbacks, **params).needs_batch_logs is expected


def test_add_progbar_verbose1_needs_batch_logs():
    callbacks = CallbackList(
        add_history=True, add_progbar=True, verbose=1, epochs=1, steps=3
    )
    assert callbacks.needs_batch_logs


def test_stop_reason_names_callback_epoch_and_value():
    model = FakeModel()
    stopper = lamina.callbacks.EarlyStopping(monitor="loss", patience=0)
    callbacks = CallbackList([stopper], add_history=True, model=model)
    fake_fit(callbacks, model, epochs=5, validation_steps=0)
    assert callbacks.stop_reason == (
        "EarlyStopping stopped training in `on_epoch_end` of epoch 2: "
        "`loss` did not improve on the best value 0.50000 (epoch 1) for 1 "
        "epoch(s); it was 0.50000 at epoch 2."
    )
    assert model.history.stop_reason == callbacks.stop_reason
    assert model.history.epoch == [0, 1]


def test_stop_reason_at_batch_level():
    model = FakeModel()
    stopper = lamina.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: setattr(
            model, "stop_training", batch == 1
        )
    )
    callbacks = CallbackList([stopper], add_history=True, model=model)
    fake_fit(callbacks, model)
    assert callbacks.stop_reason == (
        "LambdaCallback stopped training in `on_train_batch_end` of batch 1."
    )


def test_items_must_be_callbacks():
    with pytest.raises(
        TypeError,
        match=r"Every item of `callbacks` must be "
        r"a `lamina.callbacks.Callback`. Received: .*'adam'",
    ):
        CallbackList([lamina.callbacks.History(), "adam"])
