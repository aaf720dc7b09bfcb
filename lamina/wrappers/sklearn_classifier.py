"""`SKLearnClassifier`: a lamina model as a scikit-learn classifier."""

from typing import Any

import numpy as np

from lamina.wrappers.sklearn_base import SKLBase
from lamina.wrappers.sklearn_compat import ClassifierMixin
from lamina.wrappers.sklearn_compat import TargetReshaper
from lamina.wrappers.sklearn_compat import type_of_target
from lamina.wrappers.sklearn_compat import validate_data


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """scikit-learn compatible classifier wrapper for lamina models.

    The labels are one-hot encoded for the model (so compile it with
    `categorical_crossentropy` and one output per class); `predict`
    decodes the model's outputs back to labels and `classes_` lists them.

    Args:
        model: a compiled `Model` (cloned with `lamina.models.clone_model`
            before each fit), or a function returning one, called with
            `X=`, `y=` (one-hot) and `model_kwargs`.
        warm_start: keep training `model_` on the next `fit` instead of
            starting from a fresh model.
        model_kwargs: keyword arguments of `model` when it is a function.
        fit_kwargs: keyword arguments of `model.fit` (those passed to
            `fit` take precedence).

    Example:

    >>> import numpy as np, lamina
    >>> def build(X, y):
    ...     model = lamina.Sequential([
    ...         lamina.Input((X.shape[1],)),
    ...         lamina.layers.Dense(y.shape[1], activation="softmax")])
    ...     model.compile(optimizer="sgd", loss="categorical_crossentropy")
    ...     return model
    >>> est = SKLearnClassifier(build, fit_kwargs={"verbose": 0})
    >>> X, y = np.random.rand(9, 2), np.array(["a", "b", "c"] * 3)
    >>> est.fit(X, y).classes_.tolist()
    ['a', 'b', 'c']
    >>> est.predict(X).shape
    (9,)
    """

    def decision_function(self, X: Any) -> Any:
        """The fitted model's raw outputs on `X`."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.model_.predict(X, verbose=0)

    def _process_target(self, y, reset=False):
        """One-hot encodes the labels (fitting the encoder on `reset`)."""
        import sklearn.pipeline
        import sklearn.preprocessing

        kind = type_of_target(y)
        if kind not in ("binary", "multiclass"):
            raise ValueError(
                "Only binary and multiclass target types are supported. "
                f"Target type: {kind}"
            )
        if reset:
            self._target_encoder = sklearn.pipeline.make_pipeline(
                TargetReshaper(),
                sklearn.preprocessing.OneHotEncoder(sparse_output=False),
            ).fit(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError(
                    "Classifier can't train when only one class is present. "
                    f"Received: classes {self.classes_.tolist()}"
                )
        return self._target_encoder.transform(y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags
