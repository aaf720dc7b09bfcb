"""`compile(steps_per_execution=N)`: the batch hooks of `fit`, `evaluate`
and `predict` run once per N steps with Keras's indexes, and the numbers
are those of running every step.

Keras refuses `steps_per_execution > 1` on its torch backend, so the
oracle of the hook indexes and of the batches each execution takes is
Keras's backend-independent `EpochIterator` (what its JAX and TensorFlow
trainers iterate); the oracle of the numbers is Keras's own `fit`,
`evaluate` and `predict` at N=1 (an execution only groups steps).
"""

import numpy as np
import pytest
from keras.src.trainers.epoch_iterator import EpochIterator

import lamina
from tests.keras_oracle import keras
from tests.trainers.test_hook_order import recorder_class


def build(lib, steps_per_execution=1, seed=0):
    model = lib.Sequential(
        [
            lib.Input((3,)),
            lib.layers.Dense(4, activation="relu"),
            lib.layers.Dense(2),
        ]
    )
    rng = np.random.default_rng(seed)
    model.set_weights(
        [rng.standard_normal(w.shape).astype("float32") for w in model.weights]
    )
    model.compile(
        optimizer=lib.optimizers.Adam(0.01),
        loss="mse",
        metrics=["mae"],
        steps_per_execution=steps_per_execution,
    )
    return model


def data(n, seed=1):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((n, 3)).astype("float32"),
        rng.standard_normal((n, 2)).astype("float32"),
    )


def keras_executions(x, y, batch_size, size, steps=None, epochs=1):
    """Per epoch, `(begin, end, batches)` of each execution, as Keras's
    `EpochIterator` yields them over one iterator kept across epochs."""
    iterator = EpochIterator(
        x=x,
        y=y,
        batch_size=batch_size,
        steps_per_epoch=steps,
        shuffle=False,
        steps_per_execution=size,
    )
    return [
        [(begin, end, len(chunk)) for begin, end, chunk in iterator]
        for _ in range(epochs)
    ]


def batch_calls(kind, executions):
    return [
        call
        for begin, end, _ in executions
        for call in (
            (f"on_{kind}_batch_begin", begin),
            (f"on_{kind}_batch_end", end),
        )
    ]


@pytest.mark.parametrize(
    "n,batch_size,size,steps,epochs",
    [
        (80, 8, 3, None, 2),  # 10 batches: a partial last execution
        (48, 8, 2, None, 1),  # N divides the batches
        (80, 8, 3, 5, 3),  # steps_per_epoch not a multiple of N
        (77, 8, 4, 4, 2),  # a short last batch
        (40, 8, 1, None, 2),
        (40, 8, 7, None, 1),  # one execution longer than the epoch
    ],
)
def test_fit_hooks_and_batches_match_keras(n, batch_size, size, steps, epochs):
    x, y = data(n)
    expected = keras_executions(x, y, batch_size, size, steps, epochs)
    model = build(lamina, size)
    rec = recorder_class(lamina.callbacks.Callback)()
    with np.testing.suppress_warnings() as sup:
        sup.filter(UserWarning)  # a pass that runs out ends an epoch
        model.fit(
            x,
            y,
            batch_size=batch_size,
            epochs=epochs,
            steps_per_epoch=steps,
            shuffle=False,
            verbose=0,
            callbacks=[rec],
        )
    want = ["on_train_begin"]
    for epoch, executions in enumerate(expected):
        want.append(("on_epoch_begin", epoch))
        want += batch_calls("train", executions)
        want.append(("on_epoch_end", epoch))
    want.append("on_train_end")
    got = [c[0] if c[1] is None else c for c in rec.calls]
    assert got == want
    trained = sum(k for epoch in expected for _, _, k in epoch)
    assert int(model.optimizer.iterations) == trained


@pytest.mark.parametrize("size", [2, 3, 5])
def test_fit_weights_and_history_match_keras_running_every_step(size):
    x, y = data(70)
    keras_model = build(keras)
    keras_history = keras_model.fit(
        x, y, batch_size=8, epochs=2, shuffle=False, verbose=0
    )
    model = build(lamina, size)
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for ours, theirs in zip(model.get_weights(), keras_model.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    for key in ("loss", "mae"):
        np.testing.assert_allclose(
            history.history[key], keras_history.history[key], rtol=1e-5
        )
    # Grouping steps changes no number: the same as N=1, exactly.
    one = build(lamina, 1)
    one.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), one.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("size,steps", [(3, None), (2, 3), (4, None)])
def test_evaluate_hooks_and_results_match_keras(size, steps):
    x, y = data(50)
    expected = keras_executions(x, y, 8, size, steps)[0]
    model = build(lamina, size)
    rec = recorder_class(lamina.callbacks.Callback)()
    logs = model.evaluate(
        x, y, batch_size=8, steps=steps, verbose=0, callbacks=[rec],
        return_dict=True,
    )  # fmt: skip
    want = ["on_test_begin", *batch_calls("test", expected), "on_test_end"]
    assert [c[0] if c[1] is None else c for c in rec.calls] == want
    # The batches evaluated are those of the executions (whole ones).
    taken = sum(k for _, _, k in expected)
    theirs = build(keras).evaluate(
        x[: taken * 8], y[: taken * 8], batch_size=8, verbose=0,
        return_dict=True,
    )  # fmt: skip
    for key in ("loss", "mae"):
        np.testing.assert_allclose(logs[key], theirs[key], rtol=1e-5)


def test_validation_runs_in_executions_too():
    x, y = data(40)
    vx, vy = data(24, seed=2)
    model = build(lamina, 2)
    rec = recorder_class(lamina.callbacks.Callback)()
    model.fit(
        x, y, batch_size=8, epochs=1, shuffle=False, verbose=0,
        validation_data=(vx, vy), callbacks=[rec],
    )  # fmt: skip
    val = keras_executions(vx, vy, 8, 2)[0]
    calls = [c for c in rec.calls if c[0].startswith("on_test_batch")]
    assert calls == batch_calls("test", val)


@pytest.mark.parametrize("size,steps", [(3, None), (2, 2)])
def test_predict_hooks_outputs_and_results_match_keras(size, steps):
    x, _ = data(52)
    expected = keras_executions(x, None, 8, size, steps)[0]
    model = build(lamina, size)
    seen = []

    class Outputs(lamina.callbacks.Callback):
        def on_predict_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_predict_batch_end(self, batch, logs=None):
            seen.append(("end", batch, len(logs["outputs"])))

    out = model.predict(
        x, batch_size=8, steps=steps, verbose=0, callbacks=[Outputs()]
    )
    taken = min(len(x), 8 * sum(k for _, _, k in expected))
    want = []
    for begin, end, k in expected:
        rows = min(8 * k, len(x) - 8 * begin)
        want += [("begin", begin), ("end", end, rows)]
    assert seen == want
    theirs = build(keras).predict(x[:taken], batch_size=8, verbose=0)
    np.testing.assert_allclose(out, theirs, rtol=1e-5, atol=1e-6)


def test_progress_bar_takes_execution_indexes(capsys):
    x, y = data(80)
    model = build(lamina, 3)
    model.fit(x, y, batch_size=8, epochs=1, verbose=1)
    model.evaluate(x, y, batch_size=8, verbose=1)
    model.predict(x, batch_size=8, verbose=1)
    assert "10/10" in capsys.readouterr().out


@pytest.mark.parametrize("bad", [0, -2, 2.5])
def test_an_invalid_value_warns_and_runs_one_step_per_execution(bad):
    x, y = data(24)
    with pytest.warns(lamina.errors.LaminaWarning, match="steps_per_exec"):
        model = build(lamina, bad)
    rec = recorder_class(lamina.callbacks.Callback)()
    model.fit(x, y, batch_size=8, verbose=0, callbacks=[rec], shuffle=False)
    ends = [c for c in rec.calls if c[0] == "on_train_batch_end"]
    assert ends == [("on_train_batch_end", i) for i in range(3)]


@pytest.mark.compile
def test_compiled_steps_in_executions_match_eager_steps():
    x, y = data(64)
    model = build(lamina, 3)
    model.jit_compile = True  # `compile(..., jit_compile=True)`
    rec = recorder_class(lamina.callbacks.Callback)()
    model.fit(
        x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
        callbacks=[rec],
    )  # fmt: skip
    eager = build(lamina, 1)
    eager.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for ours, theirs in zip(model.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    ends = [c[1] for c in rec.calls if c[0] == "on_train_batch_end"]
    assert ends == [2, 5, 8] * 2
