"""`jit_compile=True`: the same numbers as the eager steps, through
`torch.compile`."""

import numpy as np
import pytest
import torch

import lamina

pytestmark = pytest.mark.compile


def _model():
    return lamina.Sequential(
        [
            lamina.Input((10,)),
            lamina.layers.Dense(16, activation="relu"),
            lamina.layers.Dense(3),
        ]
    )


def test_fit_evaluate_predict_match_eager(rng):
    x = rng.standard_normal((64, 10)).astype("float32")
    y = rng.integers(0, 3, 64)
    eager, jit = _model(), _model()
    jit.set_weights(eager.get_weights())
    loss = lamina.losses.SparseCategoricalCrossentropy(from_logits=True)
    eager.compile(lamina.optimizers.Adam(0.01), loss, metrics=["accuracy"])
    jit.compile(
        lamina.optimizers.Adam(0.01),
        loss,
        metrics=["accuracy"],
        jit_compile=True,
    )
    step = jit.make_train_function()
    assert step is not jit.train_step and step is jit.make_train_function()
    h_eager = eager.fit(
        x, y, batch_size=16, epochs=2, shuffle=False, verbose=0
    ).history
    h_jit = jit.fit(
        x, y, batch_size=16, epochs=2, shuffle=False, verbose=0
    ).history
    for key in h_eager:
        np.testing.assert_allclose(h_jit[key], h_eager[key], rtol=1e-5)
    for a, b in zip(jit.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        jit.evaluate(x, y, verbose=0),
        eager.evaluate(x, y, verbose=0),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        jit.predict(x, verbose=0),
        eager.predict(x, verbose=0),
        rtol=1e-5,
        atol=1e-6,
    )
    assert int(jit.optimizer.iterations) == 8


def test_recompiling_without_jit_uses_the_eager_step():
    model = _model()
    model.compile("sgd", "mse", jit_compile=True)
    assert model.make_train_function() is not model.train_step
    model.compile("sgd", "mse")
    assert model.make_train_function() == model.train_step
    assert model.jit_compile is False
    out = model.predict(torch.ones(2, 10), verbose=0)
    assert out.shape == (2, 3)
