"""A `compute_loss` override with or without `training`, as Keras calls it
(Keras inspects the override's signature)."""

import numpy as np

import lamina
from tests.keras_oracle import keras


def _distiller_class(lib):
    class Distiller(lib.Model):
        # Keras's knowledge-distillation example: no `training` parameter.
        def compute_loss(
            self,
            x=None,
            y=None,
            y_pred=None,
            sample_weight=None,
            allow_empty=False,
        ):
            self.seen = getattr(self, "seen", 0) + 1
            return lib.ops.mean(lib.ops.square(y - y_pred))

    return Distiller


def _fit_and_evaluate(lib):
    x_in = lib.Input((3,))
    model = _distiller_class(lib)(x_in, lib.layers.Dense(1)(x_in))
    model.compile("sgd")
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    model.fit(x, y, batch_size=2, epochs=1, verbose=0)
    model.evaluate(x, y, batch_size=2, verbose=0)
    return model.seen


def test_override_without_training_runs_in_fit_and_evaluate():
    assert _fit_and_evaluate(lamina) == _fit_and_evaluate(keras) == 4


def test_override_with_training_receives_it():
    flags = []

    class Model(lamina.Model):
        def compute_loss(
            self, x=None, y=None, y_pred=None, sample_weight=None, training=True
        ):
            flags.append(training)
            return super().compute_loss(x, y, y_pred, sample_weight, training)

    x_in = lamina.Input((3,))
    model = Model(x_in, lamina.layers.Dense(1)(x_in))
    model.compile("sgd", "mse")
    x, y = np.ones((2, 3), "float32"), np.ones((2, 1), "float32")
    model.fit(x, y, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert flags == [True, False]
