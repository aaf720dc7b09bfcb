"""`SKLearnRegressor` against `keras.wrappers.SKLearnRegressor`."""

import numpy as np
import pytest
from sklearn.datasets import make_regression

from lamina.wrappers import SKLearnRegressor
from tests.keras_oracle import keras
from tests.wrappers.helpers import FIT_KWARGS
from tests.wrappers.helpers import builders
from tests.wrappers.helpers import compiled_model

import lamina


def _data(seed=0):
    X, y = make_regression(
        n_samples=40, n_features=4, noise=0.1, random_state=seed
    )
    return X.astype("float32"), (y / np.abs(y).max()).astype("float32")


@pytest.mark.parametrize("seed", [0, 1])
def test_builder_matches_keras(seed):
    X, y = _data(seed)
    ours, theirs = builders("linear", "mse", seed)
    est = SKLearnRegressor(ours, fit_kwargs=FIT_KWARGS).fit(X, y)
    ref = keras.wrappers.SKLearnRegressor(theirs, fit_kwargs=FIT_KWARGS).fit(
        X, y
    )
    got, want = est.predict(X), ref.predict(X)
    assert got.shape == want.shape == (40,)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert est.score(X, y) == pytest.approx(ref.score(X, y), rel=1e-5)


def test_model_instance_is_cloned_like_keras():
    X, y = _data()
    model = compiled_model(lamina, 4, 1)
    keras_model = compiled_model(keras, 4, 1)
    keras_model.set_weights(model.get_weights())
    before = [w.copy() for w in model.get_weights()]
    est = SKLearnRegressor(model, fit_kwargs=FIT_KWARGS).fit(X, y)
    ref = keras.wrappers.SKLearnRegressor(keras_model, fit_kwargs=FIT_KWARGS)
    ref.fit(X, y)
    # A clone was trained (fresh weights in both libraries), not the model.
    assert est.model_ is not model
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert est.predict(X).shape == ref.predict(X).shape == (40,)


def test_warm_start_keeps_training_the_fitted_model():
    X, y = _data()
    ours, _ = builders("linear", "mse")
    est = SKLearnRegressor(ours, warm_start=True, fit_kwargs=FIT_KWARGS)
    first = est.fit(X, y).model_
    weights = [w.copy() for w in first.get_weights()]
    assert est.fit(X, y).model_ is first
    assert not np.allclose(weights[0], first.get_weights()[0])
    cold = SKLearnRegressor(ours, fit_kwargs=FIT_KWARGS)
    assert cold.fit(X, y).model_ is not cold.fit(X, y).model_


def test_uncompiled_model_is_refused():
    model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(1)])
    with pytest.raises(RuntimeError, match="needs to be compiled"):
        SKLearnRegressor(model).fit(*_data())
