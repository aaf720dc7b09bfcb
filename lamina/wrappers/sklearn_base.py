"""`SKLBase`: what the three scikit-learn wrappers share (Keras's
`keras.wrappers` design): the estimator's parameters are the model (or
a function building it) and keyword arguments; `fit` makes `model_`,
`predict` maps its outputs back to the targets' form."""

from __future__ import annotations

from typing import Any

import copy

from lamina.wrappers.sklearn_compat import BaseEstimator
from lamina.wrappers.sklearn_compat import TargetReshaper
from lamina.wrappers.sklearn_compat import check_sklearn_installed
from lamina.wrappers.sklearn_compat import type_of_target
from lamina.wrappers.sklearn_compat import validate_data


class SKLBase(BaseEstimator):
    """Base of the scikit-learn wrappers; see `SKLearnClassifier`."""

    def __init__(
        self,
        model: Any,
        warm_start: bool = False,
        model_kwargs: Any = None,
        fit_kwargs: Any = None,
    ):
        check_sklearn_installed(type(self).__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        # A model instance is deep-copied, so that a clone never trains
        # the original's weights; a building function is shared.
        model = (
            self.model if _is_builder(self.model) else copy.deepcopy(self.model)
        )
        return type(self)(
            model=model,
            warm_start=self.warm_start,
            model_kwargs=copy.deepcopy(self.model_kwargs),
            fit_kwargs=copy.deepcopy(self.fit_kwargs),
        )

    @property
    def epoch_(self) -> list:
        """The epochs of the last fit (its `History.epoch`)."""
        history = getattr(self, "history_", None)
        return getattr(history, "epoch", 0) if history is not None else 0

    def fit(self, X: Any, y: Any, **kwargs: Any) -> Any:
        """Fit the model on `X` `(n_samples, n_features)` and `y`;
        `kwargs` go to `model.fit` and take precedence over
        `fit_kwargs`."""
        X, y = validate_data(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        _check_model(model)
        fit_kwargs = {**(self.fit_kwargs or {}), **kwargs}
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def predict(self, X: Any) -> Any:
        """Predict with the fitted model, in the targets' form."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        raw = self.model_.predict(X, verbose=0)
        return self._reverse_process_target(raw)

    def _get_model(self, X, y):
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if _is_builder(self.model):
            return self.model(X=X, y=y, **(self.model_kwargs or {}))
        from lamina.models import clone_model

        return clone_model(self.model)

    def _process_target(self, y, reset=False):
        """Regressors keep their targets (made 2D)."""
        type_of_target(y)
        if reset:
            self._target_encoder = TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return self._target_encoder.inverse_transform(y)


def _is_builder(model) -> bool:
    from lamina.models import Model

    return not isinstance(model, Model) and callable(model)


def _check_model(model) -> None:
    if (
        not getattr(model, "compiled", False)
        or not model.loss
        or not model.optimizer
    ):
        raise RuntimeError(
            "Given model needs to be compiled, and have a loss and an "
            "optimizer: call `model.compile(optimizer=..., loss=...)` (in "
            f"the building function, if you pass one). Received: {model!r}"
        )
