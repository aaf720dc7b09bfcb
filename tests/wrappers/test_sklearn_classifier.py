"""`SKLearnClassifier` against `keras.wrappers.SKLearnClassifier`: the
same model and data give the same labels, scores and raw outputs."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from lamina.wrappers import SKLearnClassifier
from tests.keras_oracle import keras
from tests.wrappers.helpers import FIT_KWARGS
from tests.wrappers.helpers import builders


@pytest.mark.parametrize("n_classes,labels", [(2, None), (3, ["x", "y", "z"])])
def test_matches_keras(n_classes, labels):
    X, y = make_classification(
        n_samples=40,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=n_classes,
        random_state=n_classes,
    )
    if labels is not None:
        y = np.array(labels)[y]
    X = X.astype("float32")
    ours, theirs = builders("softmax", "categorical_crossentropy", n_classes)
    est = SKLearnClassifier(
        ours, model_kwargs={"hidden": 5}, fit_kwargs=FIT_KWARGS
    )
    ref = keras.wrappers.SKLearnClassifier(
        theirs, model_kwargs={"hidden": 5}, fit_kwargs=FIT_KWARGS
    )
    est.fit(X, y)
    ref.fit(X, y)
    np.testing.assert_array_equal(est.classes_, ref.classes_)
    np.testing.assert_allclose(
        est.decision_function(X), ref.decision_function(X), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_array_equal(est.predict(X), ref.predict(X))
    assert est.score(X, y) == pytest.approx(ref.score(X, y))
    assert est.n_features_in_ == 4
    assert est.epoch_ == [0, 1, 2]


def test_fit_kwargs_passed_to_fit_take_precedence():
    X, y = make_classification(
        n_samples=16,
        n_features=3,
        n_informative=2,
        n_redundant=0,
        random_state=0,
    )
    ours, _ = builders("softmax", "categorical_crossentropy")
    fit_kwargs = dict(FIT_KWARGS)
    est = SKLearnClassifier(ours, fit_kwargs=fit_kwargs)
    est.fit(X, y, epochs=1)
    assert est.epoch_ == [0]
    assert fit_kwargs == FIT_KWARGS  # the user's dict is not changed


def test_target_errors():
    ours, _ = builders("softmax", "categorical_crossentropy")
    est = SKLearnClassifier(ours, fit_kwargs=FIT_KWARGS)
    X = np.random.rand(6, 2)
    with pytest.raises(ValueError, match="only one class is present"):
        est.fit(X, np.zeros(6, "int64"))
    with pytest.raises(ValueError, match="Unknown label type|continuous"):
        est.fit(X, np.random.rand(6))
