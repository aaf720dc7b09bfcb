"""Keras's own integration test `integration_tests/basic_full_flow.py`
(`test_basic_fit`), run on lamina and compared with Keras: targets of 4
columns against a 1-unit output broadcast in the loss and the metric."""

import numpy as np

import lamina
from tests.keras_oracle import keras


def _model(lib):
    class MyModel(lib.Model):
        def __init__(self, hidden_dim, output_dim, **kwargs):
            super().__init__(**kwargs)
            self.dense1 = lib.layers.Dense(hidden_dim, activation="relu")
            self.dense2 = lib.layers.Dense(hidden_dim, activation="relu")
            self.dense3 = lib.layers.Dense(output_dim)

        def call(self, x):
            return self.dense3(self.dense2(self.dense1(x)))

    model = MyModel(hidden_dim=2, output_dim=1)
    model.compile(
        optimizer=lib.optimizers.SGD(learning_rate=0.001),
        loss=lib.losses.MeanSquaredError(),
        metrics=[lib.metrics.MeanSquaredError()],
    )
    model(np.zeros((1, 4), "float32"))  # builds the sublayers
    return model


def test_basic_fit_matches_keras():
    rng = np.random.default_rng(0)
    x = rng.random((128, 4)).astype("float32")
    y = rng.random((128, 4)).astype("float32")
    k_model, model = _model(keras), _model(lamina)
    model.set_weights(k_model.get_weights())
    kwargs = {
        "batch_size": 32,
        "epochs": 3,
        "validation_split": 0.2,
        "shuffle": False,
        "verbose": 0,
    }
    mine = model.fit(x, y, **kwargs).history
    theirs = k_model.fit(x, y, **kwargs).history
    assert sorted(mine) == sorted(theirs)
    for key in theirs:
        np.testing.assert_allclose(mine[key], theirs[key], rtol=1e-5)
    np.testing.assert_allclose(
        model.evaluate(x, y, verbose=0),
        k_model.evaluate(x, y, verbose=0),
        rtol=1e-5,
    )
    assert model.predict(x, verbose=0).shape == (128, 1)
