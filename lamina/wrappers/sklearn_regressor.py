"""`SKLearnRegressor`: a lamina model as a scikit-learn regressor."""

from lamina.wrappers.sklearn_base import SKLBase
from lamina.wrappers.sklearn_compat import RegressorMixin


class SKLearnRegressor(RegressorMixin, SKLBase):
    """scikit-learn compatible regressor wrapper for lamina models.

    `fit(X, y)` trains a fresh copy of the model (`model_`); `predict`
    returns its outputs, 1D when `y` was 1D; `score` is R².

    Args:
        model: a compiled `Model` (cloned with `lamina.models.clone_model`
            before each fit), or a function returning one, called with
            `X=`, `y=` and `model_kwargs`.
        warm_start: keep training `model_` on the next `fit` instead of
            starting from a fresh model.
        model_kwargs: keyword arguments of `model` when it is a function.
        fit_kwargs: keyword arguments of `model.fit` (those passed to
            `fit` take precedence).

    Example:

    >>> import numpy as np, lamina
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> est = SKLearnRegressor(model, fit_kwargs={"epochs": 2, "verbose": 0})
    >>> X, y = np.random.rand(8, 2), np.random.rand(8)
    >>> est.fit(X, y).predict(X).shape
    (8,)
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags
