"""LambdaCallback: functions replace hooks, called as Keras calls them."""

import pytest

import lamina
from lamina.callbacks import CallbackList


def test_functions_replace_hooks_with_keras_call_convention():
    calls = []
    callback = lamina.callbacks.LambdaCallback(
        on_train_begin=lambda logs: calls.append(("train_begin", logs)),
        on_epoch_end=lambda epoch, logs: calls.append((epoch, logs)),
        on_train_batch_end=lambda batch, logs: calls.append((batch, logs)),
        on_test_end=lambda logs: calls.append(("test_end", logs)),
    )
    callbacks = CallbackList([callback])
    callbacks.on_train_begin()
    callbacks.on_train_batch_end(0, {"loss": 1})
    callbacks.on_test_end({"loss": 2})
    callbacks.on_epoch_end(3, {"loss": 4})
    callbacks.on_predict_end()  # not given: the no-op
    assert calls == [
        ("train_begin", {}),
        (0, {"loss": 1.0}),
        ("test_end", {"loss": 2.0}),
        (3, {"loss": 4.0}),
    ]


def test_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"Unrecognized keyword argument "
        r"passed to LambdaCallback.*Received: on_epoch_finish",
    ):
        lamina.callbacks.LambdaCallback(on_epoch_finish=print)
    with pytest.raises(
        TypeError,
        match=r"`on_epoch_end` of LambdaCallback: "
        r"expected a function. Received: on_epoch_end=3",
    ):
        lamina.callbacks.LambdaCallback(on_epoch_end=3)
