"""fit's options and multi-output compile against Keras 3, same weights
and data (shuffle=False): per-output losses, loss_weights, per-output
and weighted metrics, validation data with sample weights, class weights,
initial_epoch, steps_per_epoch, validation_freq, PyDataset inputs."""

import warnings

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras

RTOL, ATOL = 1e-4, 1e-5


def _two_outputs(lib):
    x = lib.Input((5,), name="x")
    h = lib.layers.Dense(6, activation="relu", name="hidden")(x)
    reg = lib.layers.Dense(2, name="reg")(h)
    cls = lib.layers.Dense(3, activation="softmax", name="cls")(h)
    return lib.Model(x, [reg, cls])


def _dict_outputs(lib):
    x = lib.Input((5,), name="x")
    h = lib.layers.Dense(6, activation="relu", name="hidden")(x)
    return lib.Model(
        x,
        {
            "reg": lib.layers.Dense(2, name="reg")(h),
            "cls": lib.layers.Dense(3, activation="softmax", name="cls")(h),
        },
    )


def _data(rng, n=24):
    x = rng.normal(size=(n, 5)).astype("float32")
    reg = rng.normal(size=(n, 2)).astype("float32")
    cls = rng.integers(0, 3, size=(n,))
    return x, reg, cls


def _pair(build, **compile_kwargs):
    k_model, l_model = build(keras), build(lamina)
    l_model.set_weights(k_model.get_weights())
    for lib, model in ((keras, k_model), (lamina, l_model)):
        kwargs = {
            k: (v(lib) if callable(v) else v) for k, v in compile_kwargs.items()
        }
        model.compile(**kwargs)
    return k_model, l_model


def _assert_history(l_hist, k_hist):
    assert sorted(l_hist.history) == sorted(k_hist.history)
    for key in k_hist.history:
        np.testing.assert_allclose(
            l_hist.history[key],
            k_hist.history[key],
            rtol=RTOL,
            atol=ATOL,
            err_msg=key,
        )


def _assert_weights(l_model, k_model):
    for a, b in zip(l_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


MULTI_COMPILES = [
    dict(
        optimizer=lambda lib: lib.optimizers.SGD(0.05),
        loss=["mse", "sparse_categorical_crossentropy"],
        loss_weights=[0.3, 2.0],
        metrics=[["mae"], ["accuracy"]],
    ),
    dict(
        optimizer=lambda lib: lib.optimizers.Adam(0.01),
        loss={"reg": "mae", "cls": "sparse_categorical_crossentropy"},
        loss_weights={"reg": 1.5, "cls": 0.5},
        metrics={"cls": ["accuracy"], "reg": ["mse"]},
    ),
]


# (A list of metrics for dict outputs is matched in sorted-key order by
# Keras, so that combination is left out.)
@pytest.mark.parametrize(
    "build,compile_kwargs",
    [
        (_two_outputs, MULTI_COMPILES[0]),
        (_two_outputs, MULTI_COMPILES[1]),
        (_dict_outputs, MULTI_COMPILES[1]),
    ],
)
def test_multi_output_fit_and_evaluate(build, compile_kwargs, rng):
    x, reg, cls = _data(rng)
    y = {"reg": reg, "cls": cls} if build is _dict_outputs else [reg, cls]
    k_model, l_model = _pair(build, **compile_kwargs)
    kwargs = dict(batch_size=8, epochs=2, shuffle=False, verbose=0)
    _assert_history(l_model.fit(x, y, **kwargs), k_model.fit(x, y, **kwargs))
    _assert_weights(l_model, k_model)
    k_eval = k_model.evaluate(x, y, verbose=0, return_dict=True)
    l_eval = l_model.evaluate(x, y, verbose=0, return_dict=True)
    assert sorted(l_eval) == sorted(k_eval)
    for key in k_eval:
        np.testing.assert_allclose(
            l_eval[key], k_eval[key], rtol=RTOL, atol=ATOL, err_msg=key
        )
    k_pred, l_pred = (
        k_model.predict(x, verbose=0),
        l_model.predict(x, verbose=0),
    )
    if isinstance(k_pred, dict):
        assert sorted(l_pred) == sorted(k_pred)
        k_pred, l_pred = ([p[k] for k in sorted(p)] for p in (k_pred, l_pred))
    for a, b in zip(l_pred, k_pred):
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


def test_weighted_metrics_and_validation_sample_weights(rng):
    x, reg, _ = _data(rng)
    vx, vreg, _ = _data(rng, 10)
    sw = rng.uniform(0.1, 2.0, size=(24,)).astype("float32")
    vsw = rng.uniform(0.1, 2.0, size=(10,)).astype("float32")

    def build(lib):
        return lib.Sequential([lib.Input((5,)), lib.layers.Dense(2)])

    k_model, l_model = _pair(
        build,
        optimizer=lambda lib: lib.optimizers.SGD(0.05),
        loss="mse",
        metrics=["mae"],
        weighted_metrics=["mae", "mse"],
    )
    kwargs = dict(
        batch_size=8,
        epochs=2,
        shuffle=False,
        verbose=0,
        sample_weight=sw,
        validation_data=(vx, vreg, vsw),
    )
    _assert_history(
        l_model.fit(x, reg, **kwargs), k_model.fit(x, reg, **kwargs)
    )
    _assert_weights(l_model, k_model)


def test_class_weight_matches_keras(rng):
    x, _, cls = _data(rng)

    def build(lib):
        return lib.Sequential(
            [lib.Input((5,)), lib.layers.Dense(3, activation="softmax")]
        )

    k_model, l_model = _pair(
        build,
        optimizer=lambda lib: lib.optimizers.SGD(0.1),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    kwargs = dict(
        batch_size=8,
        epochs=2,
        shuffle=False,
        verbose=0,
        class_weight={0: 0.2, 1: 1.0, 2: 3.0},
    )
    _assert_history(
        l_model.fit(x, cls, **kwargs), k_model.fit(x, cls, **kwargs)
    )
    _assert_weights(l_model, k_model)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(epochs=4, initial_epoch=2),
        dict(epochs=2, steps_per_epoch=2),
        dict(epochs=4, validation_freq=2),
        dict(epochs=3, validation_freq=[1, 3], validation_batch_size=4),
        dict(epochs=2, validation_steps=1),
    ],
)
def test_epoch_and_step_options(kwargs, rng):
    x, reg, _ = _data(rng)
    vx, vreg, _ = _data(rng, 12)

    def build(lib):
        return lib.Sequential([lib.Input((5,)), lib.layers.Dense(2)])

    k_model, l_model = _pair(
        build,
        optimizer=lambda lib: lib.optimizers.SGD(0.05),
        loss="mse",
        metrics=["mae"],
    )
    common = dict(
        batch_size=8,
        shuffle=False,
        verbose=0,
        validation_data=(vx, vreg),
        **kwargs,
    )
    k_hist = k_model.fit(x, reg, **common)
    l_hist = l_model.fit(x, reg, **common)
    _assert_history(l_hist, k_hist)
    assert l_hist.epoch == k_hist.epoch
    _assert_weights(l_model, k_model)


def _py_dataset(lib, x, y, batch):
    class Batches(lib.utils.PyDataset):
        def __len__(self):
            return len(x) // batch

        def __getitem__(self, i):
            return x[i * batch : (i + 1) * batch], y[
                i * batch : (i + 1) * batch
            ]

    return Batches()


def test_py_dataset_input_matches_keras(rng):
    x, reg, _ = _data(rng)

    def build(lib):
        return lib.Sequential([lib.Input((5,)), lib.layers.Dense(2)])

    k_model, l_model = _pair(
        build, optimizer=lambda lib: lib.optimizers.SGD(0.05), loss="mse"
    )
    k_hist = k_model.fit(
        _py_dataset(keras, x, reg, 6), epochs=2, shuffle=False, verbose=0
    )
    l_hist = l_model.fit(
        _py_dataset(lamina, x, reg, 6), epochs=2, shuffle=False, verbose=0
    )
    _assert_history(l_hist, k_hist)
    _assert_weights(l_model, k_model)


def test_wrong_loss_dict_key_is_named():
    model = _dict_outputs(lamina)
    with pytest.raises(
        ValueError,
        match=r"regg.*\['reg', 'cls'\]|"
        r"regg.*\['cls', 'reg'\]",
    ):
        model.compile(loss={"regg": "mse", "cls": "mse"})


def test_wrong_number_of_losses_is_named():
    model = _two_outputs(lamina)
    with pytest.raises(ValueError, match=r"2 outputs.*Received 3"):
        model.compile(loss=["mse", "mse", "mse"])


def _recording(lib, seen):
    class Recording(lib.Model):
        def __init__(self):
            super().__init__()
            self.dense = lib.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            seen.append(int(data[0][0, 0]))
            return super().train_step(data)

    return Recording()


@pytest.mark.parametrize("steps,epochs", [(2, 3), (3, 2), (4, 2), (1, 4)])
def test_steps_per_epoch_batch_order_matches_keras(steps, epochs):
    """One pass spans epochs; a pass that runs out ends the epoch."""
    x = np.arange(24, dtype="float32").reshape(24, 1)
    y = np.zeros((24, 1), "float32")
    orders = []
    for lib in (keras, lamina):
        seen = []
        model = _recording(lib, seen)
        model.compile("sgd", "mse")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the short-epoch warning
            model.fit(
                x,
                y,
                batch_size=8,
                epochs=epochs,
                steps_per_epoch=steps,
                shuffle=False,
                verbose=0,
            )
        orders.append(seen)
    assert orders[1] == orders[0]


def test_exhausted_generator_warns_and_stops():
    x = np.ones((24, 5), "float32")
    y = np.zeros((24, 2), "float32")

    def batches():
        for i in range(3):
            yield x[i * 8 : (i + 1) * 8], y[i * 8 : (i + 1) * 8]

    model = lamina.Sequential([lamina.Input((5,)), lamina.layers.Dense(2)])
    model.compile("sgd", "mse")
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(batches(), epochs=3, verbose=0)
    assert history.epoch == [0]
    with pytest.raises(ValueError, match="produced no batches"):
        model.fit(iter(()), epochs=1, verbose=0)


@pytest.mark.parametrize("kind", ["sequential", "subclassed"])
def test_model_is_built_before_callbacks_as_in_keras(kind, rng):
    x, reg, _ = _data(rng)
    seen = []
    for lib in (keras, lamina):

        class Probe(lib.callbacks.Callback):
            def on_train_begin(self, logs=None):
                seen.append((self.model.built, len(self.model.weights)))

        if kind == "sequential":
            model = lib.Sequential([lib.layers.Dense(4), lib.layers.Dense(2)])
        else:

            class Sub(lib.Model):
                def __init__(self):
                    super().__init__()
                    self.dense = lib.layers.Dense(2)

                def call(self, x):
                    return self.dense(x)

            model = Sub()
        model.compile("sgd", "mse")
        model.fit(x, reg, epochs=1, verbose=0, callbacks=[Probe()])
    assert seen[1] == seen[0] and seen[0][0]


def _guide_model(lib):
    """Keras's "customizing fit" guide: a train_step that updates every
    metric of `self.metrics` (the compiled ones through their container)."""
    import torch

    class CustomModel(lib.Model):
        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            weights = list(self.trainable_weights)
            with torch.no_grad():
                self.optimizer.apply([v.value.grad for v in weights], weights)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = lib.Input(shape=(5,))
    return CustomModel(inputs, lib.layers.Dense(2)(inputs))


def test_keras_guide_custom_train_step_matches_keras(rng):
    x, reg, _ = _data(rng)
    k_model, l_model = _guide_model(keras), _guide_model(lamina)
    l_model.set_weights(k_model.get_weights())
    for model in (k_model, l_model):
        model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    assert [m.name for m in l_model.metrics] == [
        m.name for m in k_model.metrics
    ]
    kwargs = dict(batch_size=8, epochs=2, shuffle=False, verbose=0)
    _assert_history(
        l_model.fit(x, reg, **kwargs), k_model.fit(x, reg, **kwargs)
    )
    _assert_weights(l_model, k_model)


def test_metrics_held_as_attributes_are_listed_and_reset():
    class Tracked(lamina.Model):
        def __init__(self):
            super().__init__()
            self.dense = lamina.layers.Dense(1)
            self.seen = lamina.metrics.Sum(name="seen")

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            x, _ = data
            self.seen.update_state(float(x.shape[0]))
            return {"seen": self.seen.result()}

    model = Tracked()
    model.compile("sgd", "mse")
    history = model.fit(
        np.ones((10, 2), "float32"),
        np.ones((10, 1)),
        batch_size=4,
        epochs=2,
        verbose=0,
    )
    assert "seen" in [m.name for m in model.metrics]
    assert history.history["seen"] == [10.0, 10.0]  # reset each epoch
