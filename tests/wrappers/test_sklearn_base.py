"""What the three wrappers share: scikit-learn's estimator contract
(clone, get/set_params, unfitted errors, its own checks), the error when
scikit-learn is missing."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import estimator_checks

import lamina
from lamina.wrappers import SKLearnClassifier
from lamina.wrappers import SKLearnRegressor
from lamina.wrappers import SKLearnTransformer
from lamina.wrappers import sklearn_compat
from tests.wrappers.helpers import FIT_KWARGS
from tests.wrappers.helpers import builders
from tests.wrappers.helpers import compiled_model

WRAPPERS = [SKLearnClassifier, SKLearnRegressor, SKLearnTransformer]


def _estimator(cls):
    loss = "categorical_crossentropy" if cls is SKLearnClassifier else "mse"
    ours, _ = builders("softmax" if cls is SKLearnClassifier else None, loss)
    return cls(ours, model_kwargs={"hidden": 3}, fit_kwargs=dict(FIT_KWARGS))


@pytest.mark.parametrize("cls", WRAPPERS)
def test_params_and_clone(cls):
    est = _estimator(cls)
    params = est.get_params()
    assert sorted(params) == [
        "fit_kwargs",
        "model",
        "model_kwargs",
        "warm_start",
    ]
    copy = clone(est)
    assert copy is not est and copy.get_params()["fit_kwargs"] == FIT_KWARGS
    assert copy.model is est.model  # a building function is shared
    est.set_params(warm_start=True)
    assert est.warm_start is True


@pytest.mark.parametrize("cls", WRAPPERS)
def test_sklearn_contract_checks(cls):
    name = cls.__name__
    est = _estimator(cls)
    estimator_checks.check_get_params_invariance(name, est)
    estimator_checks.check_set_params(name, est)
    estimator_checks.check_no_attributes_set_in_init(name, est)
    estimator_checks.check_estimators_unfitted(name, est)
    estimator_checks.check_estimator_cloneable(name, est)
    estimator_checks.check_dont_overwrite_parameters(name, est)


def test_clone_deep_copies_a_model_instance():
    model = compiled_model(lamina, 2, 1)
    est = SKLearnRegressor(model)
    copy = clone(est)
    assert copy.model is not model
    for a, b in zip(copy.model.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cls", WRAPPERS)
def test_unfitted_and_wrong_width(cls):
    est = _estimator(cls)
    X = np.random.rand(10, 2)
    method = "transform" if cls is SKLearnTransformer else "predict"
    with pytest.raises(NotFittedError):
        getattr(est, method)(X)
    est.fit(X, np.arange(10) % 2)
    with pytest.raises(ValueError, match="features"):
        getattr(est, method)(np.random.rand(3, 5))


def test_missing_sklearn_names_the_extra(monkeypatch):
    monkeypatch.setattr(sklearn_compat, "sklearn", None)
    with pytest.raises(ImportError, match=r"lamina\[sklearn\]"):
        SKLearnRegressor(lambda X, y: None)
