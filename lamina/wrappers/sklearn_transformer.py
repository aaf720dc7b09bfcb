"""`SKLearnTransformer`: a lamina model as a scikit-learn transformer."""

from typing import Any

from lamina.wrappers.sklearn_base import SKLBase
from lamina.wrappers.sklearn_compat import TransformerMixin
from lamina.wrappers.sklearn_compat import validate_data


class SKLearnTransformer(TransformerMixin, SKLBase):
    """scikit-learn compatible transformer wrapper for lamina models:
    `transform(X)` is the fitted model's `predict(X)` (e.g. embeddings),
    for use as a pipeline step.

    Args:
        model: a compiled `Model` (cloned before each fit), or a function
            returning one, called with `X=`, `y=` and `model_kwargs`.
        warm_start: keep training `model_` on the next `fit`.
        model_kwargs: keyword arguments of `model` when it is a function.
        fit_kwargs: keyword arguments of `model.fit`.

    Example:

    >>> import numpy as np, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> est = SKLearnTransformer(model, fit_kwargs={"verbose": 0})
    >>> X = np.random.rand(6, 3)
    >>> est.fit(X, np.random.rand(6)).transform(X).shape
    (6, 2)
    """

    def transform(self, X: Any) -> Any:
        """The fitted model's outputs on `X` `(n_samples, n_features)`."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.model_.predict(X, verbose=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
