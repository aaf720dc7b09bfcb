"""compile / fit / evaluate / predict against Keras 3 on the same weights
and data (shuffle=False), plus the training-loop errors."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


def _model(lib):
    return lib.Sequential(
        [
            lib.Input((6,)),
            lib.layers.Dense(8, activation="relu"),
            lib.layers.Dense(3, activation="softmax"),
        ]
    )


def _data(rng, n=40):
    x = rng.normal(size=(n, 6)).astype("float32")
    y = rng.integers(0, 3, size=(n,))
    return x, y


def _pair(
    optimizer, loss="sparse_categorical_crossentropy", metrics=("accuracy",)
):
    k_model, l_model = _model(keras), _model(lamina)
    l_model.set_weights(k_model.get_weights())
    k_model.compile(
        optimizer=optimizer(keras), loss=loss, metrics=list(metrics)
    )
    l_model.compile(
        optimizer=optimizer(lamina), loss=loss, metrics=list(metrics)
    )
    return k_model, l_model


@pytest.mark.parametrize(
    "optimizer",
    [
        lambda lib: lib.optimizers.SGD(0.1, momentum=0.9),
        lambda lib: lib.optimizers.Adam(0.01),
        lambda lib: "rmsprop",
    ],
)
def test_fit_matches_keras(optimizer, rng):
    x, y = _data(rng)
    k_model, l_model = _pair(optimizer)
    k_hist = k_model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    l_hist = l_model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    for a, b in zip(l_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(
            l_hist.history[key], k_hist.history[key], rtol=1e-4, atol=1e-5
        )


def test_validation_split_and_evaluate_match_keras(rng):
    x, y = _data(rng, 50)
    k_model, l_model = _pair(lambda lib: lib.optimizers.SGD(0.05))
    kh = k_model.fit(
        x,
        y,
        batch_size=10,
        epochs=2,
        validation_split=0.2,
        shuffle=False,
        verbose=0,
    )
    lh = l_model.fit(
        x,
        y,
        batch_size=10,
        epochs=2,
        validation_split=0.2,
        shuffle=False,
        verbose=0,
    )
    np.testing.assert_allclose(
        lh.history["val_loss"], kh.history["val_loss"], rtol=1e-4
    )
    k_eval = k_model.evaluate(x, y, verbose=0, return_dict=True)
    l_eval = l_model.evaluate(x, y, verbose=0, return_dict=True)
    for key in k_eval:
        np.testing.assert_allclose(l_eval[key], k_eval[key], rtol=1e-4)
    np.testing.assert_allclose(
        l_model.predict(x, verbose=0),
        k_model.predict(x, verbose=0),
        rtol=1e-4,
        atol=1e-6,
    )


def test_sample_weight_matches_keras(rng):
    x, y = _data(rng, 24)
    sw = rng.uniform(0.1, 2.0, size=(24,)).astype("float32")
    k_model, l_model = _pair(lambda lib: lib.optimizers.SGD(0.1))
    k_model.fit(
        x, y, sample_weight=sw, batch_size=8, epochs=2, shuffle=False, verbose=0
    )
    l_model.fit(
        x, y, sample_weight=sw, batch_size=8, epochs=2, shuffle=False, verbose=0
    )
    for a, b in zip(l_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_train_and_test_on_batch_match_keras(rng):
    x, y = _data(rng, 8)
    k_model, l_model = _pair(lambda lib: lib.optimizers.Adam(0.01))
    k_logs = k_model.train_on_batch(x, y, return_dict=True)
    l_logs = l_model.train_on_batch(x, y, return_dict=True)
    np.testing.assert_allclose(l_logs["loss"], k_logs["loss"], rtol=1e-5)
    np.testing.assert_allclose(
        l_model.test_on_batch(x, y), k_model.test_on_batch(x, y), rtol=1e-4
    )
    np.testing.assert_allclose(
        l_model.predict_on_batch(x),
        to_numpy(k_model.predict_on_batch(x)),
        rtol=1e-4,
        atol=1e-6,
    )


def test_dropout_active_only_in_fit():
    model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dropout(0.5)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((16, 4), dtype="float32")
    assert np.allclose(model.predict(x, verbose=0), x)
    assert not model.training


def test_torch_dataloader_and_generator_inputs(rng):
    x, y = _data(rng, 32)
    model = _model(lamina)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    ds = torch.utils.data.TensorDataset(
        torch.from_numpy(x), torch.from_numpy(y)
    )
    loader = torch.utils.data.DataLoader(ds, batch_size=8)
    hist = model.fit(loader, epochs=2, verbose=0)
    assert len(hist.history["loss"]) == 2

    def gen():
        while True:
            yield x[:8], y[:8]

    hist = model.fit(gen(), steps_per_epoch=3, epochs=2, verbose=0)
    assert len(hist.history["loss"]) == 2


def test_fit_before_compile():
    with pytest.raises(RuntimeError, match="compile"):
        _model(lamina).fit(np.ones((2, 6)), np.zeros(2), verbose=0)


def test_length_mismatch():
    model = _model(lamina)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="cardinality"):
        model.fit(np.ones((5, 6)), np.zeros(4), verbose=0)


def test_bad_validation_split(rng):
    x, y = _data(rng, 10)
    model = _model(lamina)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(x, y, validation_split=1.5, verbose=0)


def test_unknown_names_in_compile():
    model = _model(lamina)
    with pytest.raises(ValueError, match="optimizer"):
        model.compile(optimizer="adamz", loss="mse")
    with pytest.raises(ValueError, match="loss"):
        model.compile(optimizer="sgd", loss="msee")


def test_class_weight_with_unknown_class(rng):
    x, y = _data(rng, 12)
    model = _model(lamina)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="class_weight"):
        model.fit(x, y, class_weight={0: 1.0, 1: 2.0}, verbose=0)


def test_early_stopping_stops_like_keras(rng):
    x, y = _data(rng, 20)
    k_model, l_model = _pair(lambda lib: lib.optimizers.SGD(0.0))
    k_cb = keras.callbacks.EarlyStopping(monitor="loss", patience=1)
    l_cb = lamina.callbacks.EarlyStopping(monitor="loss", patience=1)
    kh = k_model.fit(
        x, y, epochs=10, shuffle=False, verbose=0, callbacks=[k_cb]
    )
    lh = l_model.fit(
        x, y, epochs=10, shuffle=False, verbose=0, callbacks=[l_cb]
    )
    assert len(lh.history["loss"]) == len(kh.history["loss"])


def test_kernel_constraint_applied_during_fit_like_keras(rng):
    x, y = _data(rng, 16)

    def build(lib):
        return lib.Sequential(
            [
                lib.Input((6,)),
                lib.layers.Dense(
                    3, activation="softmax", kernel_constraint="non_neg"
                ),
            ]
        )

    k_model, l_model = build(keras), build(lamina)
    l_model.set_weights(k_model.get_weights())
    for m in (k_model, l_model):
        m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        m.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert (l_model.get_weights()[0] >= 0).all()
    for a, b in zip(l_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
