"""SwapEMAWeights against Keras 3: validation metrics of the averaged
weights, the weights after fit, with and without `swap_on_epoch`."""

import inspect

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras


def run(lib, swap_on_epoch, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((32, 4)).astype("float32")
    y = rng.standard_normal((32, 1)).astype("float32")
    model = lib.Sequential(
        [lib.Input((4,)), lib.layers.Dense(3), lib.layers.Dense(1)]
    )
    weights = [
        rng.standard_normal(w.shape).astype("float32") * 0.5
        for w in model.get_weights()
    ]
    model.set_weights(weights)
    model.compile(
        lib.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5), loss="mse"
    )
    callbacks = (
        []
        if swap_on_epoch is None
        else [lib.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch)]
    )
    history = model.fit(
        x,
        y,
        batch_size=8,
        epochs=3,
        verbose=0,
        shuffle=False,
        validation_data=(x[:16], y[:16]),
        callbacks=callbacks,
    )
    evaluated = model.evaluate(x, y, verbose=0, callbacks=callbacks)
    return history.history, model.get_weights(), evaluated


@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_matches_keras(swap_on_epoch):
    ours = run(lamina, swap_on_epoch)
    theirs = run(keras, swap_on_epoch)
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(ours[0][key], theirs[0][key], rtol=1e-5)
    for a, b in zip(ours[1], theirs[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)


def test_validation_sees_the_averaged_weights():
    with_swap = run(lamina, False)[0]
    without = run(lamina, None)[0]
    # The raw weights differ from their averages after steps of lr 0.1.
    np.testing.assert_allclose(with_swap["loss"], without["loss"])
    assert not np.allclose(with_swap["val_loss"], without["val_loss"])


def test_requires_an_ema_optimizer():
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile("sgd", loss="mse")
    x = np.ones((4, 2), "float32")
    with pytest.raises(ValueError, match="use_ema=True"):
        model.fit(
            x,
            x[:, :1],
            verbose=0,
            validation_data=(x, x[:, :1]),
            callbacks=[lamina.callbacks.SwapEMAWeights()],
        )


def test_signature_matches_keras():
    def params(cls):
        return [
            (p.name, p.kind, p.default)
            for p in inspect.signature(cls).parameters.values()
        ]

    assert params(lamina.callbacks.SwapEMAWeights) == params(
        keras.callbacks.SwapEMAWeights
    )
