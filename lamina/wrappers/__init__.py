"""scikit-learn estimators around lamina models (Keras's
`keras.wrappers`); needs `pip install lamina[sklearn]`."""

from lamina.wrappers.sklearn_classifier import (
    SKLearnClassifier as SKLearnClassifier,
)
from lamina.wrappers.sklearn_regressor import (
    SKLearnRegressor as SKLearnRegressor,
)
from lamina.wrappers.sklearn_transformer import (
    SKLearnTransformer as SKLearnTransformer,
)

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
