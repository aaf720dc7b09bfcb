"""`SKLearnTransformer` against `keras.wrappers.SKLearnTransformer`, and
as a pipeline step."""

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from lamina.wrappers import SKLearnTransformer
from tests.keras_oracle import keras
from tests.wrappers.helpers import FIT_KWARGS
from tests.wrappers.helpers import builders


def test_matches_keras_and_works_in_a_pipeline():
    rng = np.random.default_rng(0)
    X = rng.random((24, 3)).astype("float32")
    y = rng.random(24).astype("float32")
    ours, theirs = builders("relu", "mse", 3)
    est = SKLearnTransformer(ours, fit_kwargs=FIT_KWARGS)
    ref = keras.wrappers.SKLearnTransformer(theirs, fit_kwargs=FIT_KWARGS)
    got = est.fit_transform(X, y)
    want = ref.fit_transform(X, y)
    assert got.shape == want.shape == (24, 1)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    pipe = make_pipeline(
        SKLearnTransformer(ours, fit_kwargs=FIT_KWARGS), LinearRegression()
    )
    assert pipe.fit(X, y).predict(X).shape == (24,)
