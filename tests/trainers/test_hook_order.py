"""The real `fit`, `evaluate` and `predict` call every callback hook in the
order Keras 3 calls them, on the same run: validation (with its
`on_test_*` hooks), `validation_freq`, early stopping, `steps_per_epoch`,
and an exception in the middle of an epoch."""

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras

HOOKS = [
    "on_train_begin",
    "on_train_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_begin",
    "on_test_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
]
LOOP_HOOKS = {
    "on_train_begin",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_predict_begin",
    "on_predict_end",
}


def recorder_class(base):
    """A callback of library `base` that records `(hook, index)` pairs and
    raises in `on_train_batch_end` at `raise_at = (epoch, batch)`."""

    class Recorder(base):
        def __init__(self, raise_at=None):
            super().__init__()
            self.calls = []
            self.raise_at = raise_at
            self.epoch = None

        def _record(self, hook, args):
            index = None if hook in LOOP_HOOKS else args[0]
            self.calls.append((hook, index))
            if hook == "on_epoch_begin":
                self.epoch = args[0]
            if (
                hook == "on_train_batch_end"
                and (self.epoch, args[0]) == self.raise_at
            ):
                raise RuntimeError("boom in the middle of an epoch")

    for hook in HOOKS:

        def method(self, *args, _hook=hook, **kwargs):
            self._record(_hook, args)

        setattr(Recorder, hook, method)
    return Recorder


def build(lib):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def data(n, seed):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((n, 3)).astype("float32"),
        rng.standard_normal((n, 1)).astype("float32"),
    )


def record(lib, run):
    recorder = recorder_class(lib.callbacks.Callback)
    return run(build(lib), recorder)


def both(run):
    return record(lamina, run), record(keras, run)


def fit_with_validation(model, recorder_cls):
    rec = recorder_cls()
    x, y = data(10, 0)
    model.fit(
        x,
        y,
        batch_size=4,
        epochs=3,
        verbose=0,
        callbacks=[rec],
        validation_data=data(5, 1),
        validation_batch_size=2,
        validation_freq=2,
    )
    return rec.calls


def fit_with_split_and_steps(model, recorder_cls):
    rec = recorder_cls()
    x, y = data(16, 2)
    model.fit(
        x,
        y,
        batch_size=3,
        epochs=2,
        verbose=0,
        callbacks=[rec],
        validation_split=0.25,
        steps_per_epoch=2,
        validation_steps=1,
    )
    return rec.calls


def fit_with_early_stopping(model, recorder_cls):
    rec = recorder_cls()
    lib = lamina if isinstance(model, lamina.Model) else keras
    # The loss cannot improve by 1e9: training stops after `patience`.
    stop = lib.callbacks.EarlyStopping(
        monitor="loss", patience=1, min_delta=1e9
    )
    x, y = data(8, 3)
    model.fit(
        x,
        y,
        batch_size=4,
        epochs=6,
        verbose=0,
        callbacks=[rec, stop],
        validation_data=data(4, 4),
    )
    return rec.calls


def fit_that_raises(model, recorder_cls):
    rec = recorder_cls(raise_at=(1, 1))
    x, y = data(12, 5)
    with pytest.raises(RuntimeError, match="boom"):
        model.fit(
            x,
            y,
            batch_size=4,
            epochs=3,
            verbose=0,
            callbacks=[rec],
            validation_data=data(4, 6),
        )
    return rec.calls


def evaluate_and_predict(model, recorder_cls):
    rec = recorder_cls()
    x, y = data(7, 7)
    model.evaluate(x, y, batch_size=3, verbose=0, callbacks=[rec])
    model.predict(x, batch_size=4, verbose=0, callbacks=[rec])
    return rec.calls


@pytest.mark.parametrize(
    "run",
    [
        fit_with_validation,
        fit_with_split_and_steps,
        fit_with_early_stopping,
        fit_that_raises,
        evaluate_and_predict,
    ],
    ids=lambda f: f.__name__,
)
def test_hook_order_matches_keras(run):
    ours, theirs = both(run)
    assert ours == theirs


def test_validation_runs_test_hooks_in_fit():
    ours, _ = both(fit_with_validation)
    # Epochs 0..2 with validation_freq=2: one validation, after epoch 1.
    assert ours.count(("on_test_begin", None)) == 1
    assert ours.count(("on_test_batch_end", 2)) == 1
    begin = ours.index(("on_test_begin", None))
    assert ours[begin - 1] == ("on_train_batch_end", 2)
    assert ours[begin + 7] == ("on_test_end", None)
    assert ours[begin + 8] == ("on_epoch_end", 1)
