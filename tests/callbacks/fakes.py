"""A fake model with the duck-typed interface callbacks use, a Keras twin
(the oracle), and a driver that feeds both the same epoch logs."""

import os

import numpy as np

from tests.keras_oracle import keras

SHAPES = [(2, 1), (1,)]  # Dense(1) on 2 inputs, as the Keras twin.


class FakeOptimizer:
    def __init__(self, learning_rate=0.1):
        self._lr = float(np.float32(learning_rate))
        self.iterations = 0

    @property
    def learning_rate(self):
        return self._lr

    @learning_rate.setter
    def learning_rate(self, value):
        # Stored in float32, as an optimizer variable is.
        self._lr = float(np.float32(value))


class FakeMetric:
    def __init__(self, name, direction):
        self.name = name
        self._direction = direction


class FakeModel:
    def __init__(self, learning_rate=0.1, metrics=()):
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self.metrics = list(metrics)
        self._weights = [np.zeros(s, "float32") for s in SHAPES]
        self.saved = []

    def get_weights(self):
        return [w.copy() for w in self._weights]

    def set_weights(self, weights):
        self._weights = [np.asarray(w, "float32").copy() for w in weights]

    def save_weights(self, filepath, overwrite=True):
        self._write(filepath)

    def save(self, filepath, overwrite=True):
        self._write(filepath)

    def _write(self, filepath):
        self.saved.append(os.path.basename(filepath))
        with open(filepath, "w") as f:
            f.write("checkpoint")


def keras_model(learning_rate=0.1):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse")
    return model


def drive(callback, model, epoch_logs, batches=0):
    """Run `callback` through a fake `fit` whose epoch `e` leaves every
    weight equal to `e`; returns the logs each epoch ended with."""
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    seen = []
    for epoch, logs in enumerate(epoch_logs):
        callback.on_epoch_begin(epoch)
        for batch in range(batches):
            callback.on_train_batch_begin(batch)
            callback.on_train_batch_end(batch, {"loss": float(batch)})
        model.set_weights([np.full(s, float(epoch)) for s in SHAPES])
        logs = dict(logs)
        callback.on_epoch_end(epoch, logs)
        seen.append(logs)
        if model.stop_training:
            break
    callback.on_train_end(seen[-1] if seen else None)
    return seen
