"""Losses: the `Loss` base class, the built-in losses (class and function
forms), and `get` / `serialize` / `deserialize`.

Loss names, arguments, defaults, configs and values follow Keras 3.
"""

from __future__ import annotations

from typing import Any, Callable

from lamina.losses.crossentropy import BinaryCrossentropy as BinaryCrossentropy
from lamina.losses.crossentropy import (
    CategoricalCrossentropy as CategoricalCrossentropy,
)
from lamina.losses.crossentropy import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from lamina.losses.crossentropy import (
    binary_crossentropy as binary_crossentropy,
)
from lamina.losses.crossentropy import (
    categorical_crossentropy as categorical_crossentropy,
)
from lamina.losses.crossentropy import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
from lamina.losses.ctc import CTC as CTC
from lamina.losses.ctc import ctc as ctc
from lamina.losses.focal import (
    BinaryFocalCrossentropy as BinaryFocalCrossentropy,
)
from lamina.losses.focal import (
    CategoricalFocalCrossentropy as CategoricalFocalCrossentropy,
)
from lamina.losses.focal import (
    binary_focal_crossentropy as binary_focal_crossentropy,
)
from lamina.losses.focal import (
    categorical_focal_crossentropy as categorical_focal_crossentropy,
)
from lamina.losses.hinge import CategoricalHinge as CategoricalHinge
from lamina.losses.hinge import Hinge as Hinge
from lamina.losses.hinge import SquaredHinge as SquaredHinge
from lamina.losses.hinge import categorical_hinge as categorical_hinge
from lamina.losses.hinge import hinge as hinge
from lamina.losses.hinge import squared_hinge as squared_hinge
from lamina.losses.loss import Loss as Loss
from lamina.losses.loss_function_wrapper import (
    LossFunctionWrapper as LossFunctionWrapper,
)
from lamina.losses.probabilistic import (
    CategoricalGeneralizedCrossEntropy as CategoricalGeneralizedCrossEntropy,
)
from lamina.losses.probabilistic import KLDivergence as KLDivergence
from lamina.losses.probabilistic import Poisson as Poisson
from lamina.losses.probabilistic import (
    categorical_generalized_cross_entropy as categorical_generalized_cross_entropy,
)
from lamina.losses.probabilistic import kl_divergence as kl_divergence
from lamina.losses.probabilistic import poisson as poisson
from lamina.losses.regression import MeanAbsoluteError as MeanAbsoluteError
from lamina.losses.regression import (
    MeanAbsolutePercentageError as MeanAbsolutePercentageError,
)
from lamina.losses.regression import MeanSquaredError as MeanSquaredError
from lamina.losses.regression import (
    MeanSquaredLogarithmicError as MeanSquaredLogarithmicError,
)
from lamina.losses.regression import mean_absolute_error as mean_absolute_error
from lamina.losses.regression import (
    mean_absolute_percentage_error as mean_absolute_percentage_error,
)
from lamina.losses.regression import mean_squared_error as mean_squared_error
from lamina.losses.regression import (
    mean_squared_logarithmic_error as mean_squared_logarithmic_error,
)
from lamina.losses.robust_regression import Huber as Huber
from lamina.losses.robust_regression import LogCosh as LogCosh
from lamina.losses.robust_regression import huber as huber
from lamina.losses.robust_regression import log_cosh as log_cosh
from lamina.losses.segmentation import Dice as Dice
from lamina.losses.segmentation import Tversky as Tversky
from lamina.losses.segmentation import dice as dice
from lamina.losses.segmentation import tversky as tversky
from lamina.losses.similarity import Circle as Circle
from lamina.losses.similarity import CosineSimilarity as CosineSimilarity
from lamina.losses.similarity import circle as circle
from lamina.losses.similarity import cosine_similarity as cosine_similarity
from lamina.saving.object_registry import ObjectRegistry

ALL_OBJECTS = (
    Loss,
    LossFunctionWrapper,
    # Probabilistic
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    SparseCategoricalCrossentropy,
    # Regression
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCosh,
    Huber,
    # Hinge
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    # Segmentation, similarity, sequence
    Dice,
    Tversky,
    Circle,
    CTC,
    # Functions
    kl_divergence,
    poisson,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    sparse_categorical_crossentropy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    log_cosh,
    huber,
    hinge,
    squared_hinge,
    categorical_hinge,
    dice,
    tversky,
    circle,
    ctc,
)

# Every name `get` accepts: class and function names plus Keras's aliases.
ALL_OBJECTS_DICT: dict[str, Any] = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {
        "bce": binary_crossentropy,
        "BCE": binary_crossentropy,
        "kld": kl_divergence,
        "KLD": kl_divergence,
        "mae": mean_absolute_error,
        "MAE": mean_absolute_error,
        "mse": mean_squared_error,
        "MSE": mean_squared_error,
        "mape": mean_absolute_percentage_error,
        "MAPE": mean_absolute_percentage_error,
        "msle": mean_squared_logarithmic_error,
        "MSLE": mean_squared_logarithmic_error,
    }
)
_REGISTRY = ObjectRegistry(
    "loss",
    ALL_OBJECTS_DICT,
    expected=(
        "a loss name (e.g. 'mse', 'CategoricalCrossentropy'), a config "
        "dict, a Loss class or instance, or a function"
    ),
)


def serialize(loss: Callable) -> Any:
    """Serialize a `Loss` instance or a loss function (Keras's form).

    Args:
        loss: a `Loss` instance or a loss function.

    Returns:
        A JSON-compatible config (`{"module", "class_name", "config",
        "registered_name"}`).

    Example:

    >>> import lamina
    >>> lamina.losses.serialize(lamina.losses.Huber())["class_name"]
    'Huber'
    """
    return _REGISTRY.serialize(loss)


def deserialize(name: Any, custom_objects: dict | None = None) -> Any:
    """Rebuild a loss from `serialize`'s output or from a name.

    Args:
        name: a serialized loss (dict) or a loss name (Keras's argument
            name, whatever it holds).
        custom_objects: optional dict of user classes and functions.

    Returns:
        A `Loss` instance or a loss function.

    Example:

    >>> import lamina
    >>> loss = lamina.losses.deserialize(
    ...     {"class_name": "Huber", "config": {"delta": 2.0}})
    >>> loss.delta
    2.0
    """
    return _REGISTRY.deserialize(name, custom_objects)


def get(identifier: Any) -> Callable | None:
    """Resolve a loss identifier into a loss function or `Loss` instance.

    Args:
        identifier: `None`, a name (function names such as
            `"categorical_crossentropy"`, aliases such as `"mse"`, or class
            names such as `"CategoricalCrossentropy"`), a serialized config
            dict, a `Loss` class (instantiated with defaults), a `Loss`
            instance or any callable.

    Returns:
        The loss function or `Loss` instance (or `None`).

    Example:

    >>> import lamina
    >>> lamina.losses.get("mse").__name__
    'mean_squared_error'
    >>> type(lamina.losses.get("CategoricalCrossentropy")).__name__
    'CategoricalCrossentropy'
    """
    if identifier is None:
        return None
    return _REGISTRY.get(identifier)


__all__ = sorted(
    [obj.__name__ for obj in ALL_OBJECTS] + ["deserialize", "get", "serialize"]
)
