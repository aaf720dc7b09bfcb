"""The subclassing guide's `add_loss` example: a model with no weights,
compiled without a loss, trains as a no-op in Keras (with a warning)
where lamina raised "element 0 of tensors does not require grad"."""

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras


def _model(lib):
    class ActivityRegularizationLayer(lib.layers.Layer):
        def __init__(self, rate=1e-2):
            super().__init__()
            self.rate = rate

        def call(self, inputs):
            self.add_loss(self.rate * lib.ops.mean(inputs))
            return inputs

    x = lib.Input(shape=(3,))
    model = lib.Model(x, ActivityRegularizationLayer()(x))
    model.compile(optimizer="adam")
    return model


def test_fit_without_weights_or_compiled_loss_matches_keras():
    rng = np.random.default_rng(0)
    x, y = rng.random((2, 3)), rng.random((2, 3))
    with pytest.warns(UserWarning, match="does not have any trainable"):
        mine = _model(lamina).fit(x, y, verbose=0).history
    with pytest.warns(UserWarning, match="does not have any trainable"):
        theirs = _model(keras).fit(x, y, verbose=0).history
    np.testing.assert_allclose(mine["loss"], theirs["loss"], rtol=1e-6)
