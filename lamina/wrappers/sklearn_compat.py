"""scikit-learn's base classes, or stand-ins when it is not installed, so
that `import lamina.wrappers` works without it; constructing a wrapper
then raises an ImportError naming the `sklearn` extra."""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    import sklearn
    from sklearn.base import BaseEstimator
    from sklearn.base import ClassifierMixin
    from sklearn.base import RegressorMixin
    from sklearn.base import TransformerMixin
except ImportError:  # pragma: no cover - exercised without scikit-learn
    sklearn = None

    class BaseEstimator:  # type: ignore[no-redef]
        pass

    class ClassifierMixin:  # type: ignore[no-redef]
        pass

    class RegressorMixin:  # type: ignore[no-redef]
        pass

    class TransformerMixin:  # type: ignore[no-redef]
        pass


def check_sklearn_installed(name: str) -> None:
    if sklearn is None:
        raise ImportError(
            f"{name} requires scikit-learn. Install it with "
            "`pip install lamina[sklearn]` (or `pip install scikit-learn`)."
        )


def validate_data(estimator: Any, *args: Any, **kwargs: Any) -> Any:
    """scikit-learn's input checks (they also set `n_features_in_`)."""
    from sklearn.utils.validation import validate_data

    return validate_data(estimator, *args, **kwargs)


def type_of_target(y: Any) -> str:
    """sklearn's `type_of_target`, failing on targets it cannot type."""
    from sklearn.utils.multiclass import type_of_target

    kind = type_of_target(y)
    if kind == "unknown":
        raise ValueError(f"Unknown label type for data: {y!r}")
    return kind


class TargetReshaper(TransformerMixin, BaseEstimator):
    """Makes 1D targets 2D (for encoders and models), and back."""

    def fit(self, y: Any) -> Any:
        self.ndim_ = y.ndim
        return self

    def transform(self, y: Any) -> Any:
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y: Any) -> Any:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        if self.ndim_ == 1 and y.ndim == 2:
            return np.squeeze(y, axis=1)
        return y
