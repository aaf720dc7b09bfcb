"""Metrics: running statistics of a model's predictions (`keras.metrics`).

`get(identifier)` turns a name (`"mse"`, `"AUC"`, `"binary_accuracy"`),
a config dict, a class, an instance or a plain `fn(y_true, y_pred)` into a
`Metric`; `serialize` / `deserialize` use Keras 3's form (module
`"keras.metrics"`). The per-sample functions (`binary_accuracy`,
`mean_squared_error`, ...) are public too, as in Keras.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from lamina.engine.naming import to_snake_case
from lamina.metrics.accuracy_metrics import Accuracy as Accuracy
from lamina.metrics.accuracy_metrics import BinaryAccuracy as BinaryAccuracy
from lamina.metrics.accuracy_metrics import (
    CategoricalAccuracy as CategoricalAccuracy,
)
from lamina.metrics.accuracy_metrics import (
    SparseCategoricalAccuracy as SparseCategoricalAccuracy,
)
from lamina.metrics.accuracy_metrics import (
    SparseTopKCategoricalAccuracy as SparseTopKCategoricalAccuracy,
)
from lamina.metrics.accuracy_metrics import (
    TopKCategoricalAccuracy as TopKCategoricalAccuracy,
)
from lamina.metrics.accuracy_metrics import accuracy as accuracy
from lamina.metrics.accuracy_metrics import binary_accuracy as binary_accuracy
from lamina.metrics.accuracy_metrics import (
    categorical_accuracy as categorical_accuracy,
)
from lamina.metrics.accuracy_metrics import (
    sparse_categorical_accuracy as sparse_categorical_accuracy,
)
from lamina.metrics.accuracy_metrics import (
    sparse_top_k_categorical_accuracy as sparse_top_k_categorical_accuracy,
)
from lamina.metrics.accuracy_metrics import (
    top_k_categorical_accuracy as top_k_categorical_accuracy,
)
from lamina.metrics.auc import AUC as AUC
from lamina.metrics.confusion_metrics import FalseNegatives as FalseNegatives
from lamina.metrics.confusion_metrics import FalsePositives as FalsePositives
from lamina.metrics.confusion_metrics import Precision as Precision
from lamina.metrics.confusion_metrics import Recall as Recall
from lamina.metrics.confusion_metrics import TrueNegatives as TrueNegatives
from lamina.metrics.confusion_metrics import TruePositives as TruePositives
from lamina.metrics.correlation_metrics import (
    ConcordanceCorrelation as ConcordanceCorrelation,
)
from lamina.metrics.correlation_metrics import (
    PearsonCorrelation as PearsonCorrelation,
)
from lamina.metrics.correlation_metrics import (
    concordance_correlation as concordance_correlation,
)
from lamina.metrics.correlation_metrics import (
    pearson_correlation as pearson_correlation,
)
from lamina.metrics.f_score_metrics import F1Score as F1Score
from lamina.metrics.f_score_metrics import FBetaScore as FBetaScore
from lamina.metrics.hinge_metrics import CategoricalHinge as CategoricalHinge
from lamina.metrics.hinge_metrics import Hinge as Hinge
from lamina.metrics.hinge_metrics import SquaredHinge as SquaredHinge
from lamina.metrics.hinge_metrics import categorical_hinge as categorical_hinge
from lamina.metrics.hinge_metrics import hinge as hinge
from lamina.metrics.hinge_metrics import squared_hinge as squared_hinge
from lamina.metrics.iou_metrics import BinaryIoU as BinaryIoU
from lamina.metrics.iou_metrics import IoU as IoU
from lamina.metrics.iou_metrics import MeanIoU as MeanIoU
from lamina.metrics.iou_metrics import OneHotIoU as OneHotIoU
from lamina.metrics.iou_metrics import OneHotMeanIoU as OneHotMeanIoU
from lamina.metrics.metric import Metric as Metric
from lamina.metrics.metric import MetricVariable as MetricVariable
from lamina.metrics.probabilistic_metrics import (
    BinaryCrossentropy as BinaryCrossentropy,
)
from lamina.metrics.probabilistic_metrics import (
    CategoricalCrossentropy as CategoricalCrossentropy,
)
from lamina.metrics.probabilistic_metrics import KLDivergence as KLDivergence
from lamina.metrics.probabilistic_metrics import Poisson as Poisson
from lamina.metrics.probabilistic_metrics import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from lamina.metrics.probabilistic_metrics import (
    binary_crossentropy as binary_crossentropy,
)
from lamina.metrics.probabilistic_metrics import (
    binary_focal_crossentropy as binary_focal_crossentropy,
)
from lamina.metrics.probabilistic_metrics import (
    categorical_focal_crossentropy as categorical_focal_crossentropy,
)
from lamina.metrics.probabilistic_metrics import (
    categorical_crossentropy as categorical_crossentropy,
)
from lamina.metrics.probabilistic_metrics import kl_divergence as kl_divergence
from lamina.metrics.probabilistic_metrics import poisson as poisson
from lamina.metrics.probabilistic_metrics import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
from lamina.metrics.r2_score import R2Score as R2Score
from lamina.metrics.reduction_metrics import Mean as Mean
from lamina.metrics.reduction_metrics import (
    MeanMetricWrapper as MeanMetricWrapper,
)
from lamina.metrics.reduction_metrics import Sum as Sum
from lamina.metrics.regression_metrics import (
    CosineSimilarity as CosineSimilarity,
)
from lamina.metrics.regression_metrics import LogCoshError as LogCoshError
from lamina.metrics.regression_metrics import (
    MeanAbsoluteError as MeanAbsoluteError,
)
from lamina.metrics.regression_metrics import (
    MeanAbsolutePercentageError as MeanAbsolutePercentageError,
)
from lamina.metrics.regression_metrics import (
    MeanSquaredError as MeanSquaredError,
)
from lamina.metrics.regression_metrics import (
    MeanSquaredLogarithmicError as MeanSquaredLogarithmicError,
)
from lamina.metrics.regression_metrics import (
    RootMeanSquaredError as RootMeanSquaredError,
)
from lamina.metrics.regression_metrics import huber as huber
from lamina.metrics.regression_metrics import log_cosh as log_cosh
from lamina.metrics.regression_metrics import (
    mean_absolute_error as mean_absolute_error,
)
from lamina.metrics.regression_metrics import (
    mean_absolute_percentage_error as mean_absolute_percentage_error,
)
from lamina.metrics.regression_metrics import (
    mean_squared_error as mean_squared_error,
)
from lamina.metrics.regression_metrics import (
    mean_squared_logarithmic_error as mean_squared_logarithmic_error,
)
from lamina.metrics.sensitivity_metrics import (
    PrecisionAtRecall as PrecisionAtRecall,
)
from lamina.metrics.sensitivity_metrics import (
    RecallAtPrecision as RecallAtPrecision,
)
from lamina.metrics.sensitivity_metrics import (
    SensitivityAtSpecificity as SensitivityAtSpecificity,
)
from lamina.metrics.sensitivity_metrics import (
    SpecificityAtSensitivity as SpecificityAtSensitivity,
)
from lamina.saving.object_registry import ObjectRegistry

ALL_OBJECTS = (
    Metric,
    Mean,
    Sum,
    MeanMetricWrapper,
    MeanSquaredError,
    RootMeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCoshError,
    R2Score,
    AUC,
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
    ConcordanceCorrelation,
    PearsonCorrelation,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    F1Score,
    FBetaScore,
    IoU,
    BinaryIoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)
# Names `get` accepts, as in Keras: class names, their snake_case, and the
# short aliases.
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS}
)
ALL_OBJECTS_DICT.update(
    {
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
    }
)
# The public per-sample functions, by name (for `MeanMetricWrapper` configs).
ALL_FUNCTIONS_DICT = {
    fn.__name__: fn
    for fn in (
        accuracy,
        binary_accuracy,
        categorical_accuracy,
        sparse_categorical_accuracy,
        top_k_categorical_accuracy,
        sparse_top_k_categorical_accuracy,
        mean_squared_error,
        mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_logarithmic_error,
        log_cosh,
        hinge,
        squared_hinge,
        categorical_hinge,
        kl_divergence,
        poisson,
        binary_crossentropy,
        categorical_crossentropy,
        sparse_categorical_crossentropy,
        binary_focal_crossentropy,
        categorical_focal_crossentropy,
        huber,
        pearson_correlation,
        concordance_correlation,
    )
}
# Accepted by `get` beyond Keras's table: the trainer resolves "acc" by the
# loss, as Keras's compile does; alone it means `Accuracy`.
_GET_ALIASES = {"acc": Accuracy}


def _is_metric_or_function(obj: Any) -> bool:
    return isinstance(obj, Metric) or (
        callable(obj) and not inspect.isclass(obj)
    )


_REGISTRY = ObjectRegistry(
    "metric",
    {**ALL_FUNCTIONS_DICT, **ALL_OBJECTS_DICT, **_GET_ALIASES},
    functions=ALL_FUNCTIONS_DICT,
    expected=(
        "a metric name (e.g. 'mse', 'AUC'), a config dict, a Metric class "
        "or instance, or a function"
    ),
)


def serialize(metric: Any) -> Any:
    """Serialize a `Metric` instance or a metric function (Keras's form).

    Args:
        metric: a `Metric` instance or a metric function.

    Returns:
        A JSON-serializable config dict.

    Example:

    >>> import lamina
    >>> lamina.metrics.serialize(lamina.metrics.Mean())["class_name"]
    'Mean'
    """
    return _REGISTRY.serialize(metric)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Rebuild a metric (or metric function) from `serialize`'s output.

    Args:
        config: the serialized metric.
        custom_objects: (Optional) a dict of user classes and functions.

    Returns:
        A `Metric` instance or a metric function.

    Example:

    >>> import lamina
    >>> config = lamina.metrics.serialize(lamina.metrics.AUC(curve="PR"))
    >>> lamina.metrics.deserialize(config).curve.value
    'PR'
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier: Any) -> Metric | None:
    """Retrieve a metric as a `Metric` instance.

    Args:
        identifier: None, a name (`"mse"`, `"AUC"`, `"binary_accuracy"`,
            ...), a config dict, a `Metric` class or instance, or a
            function `fn(y_true, y_pred)` (wrapped in `MeanMetricWrapper`
            named after it).

    Returns:
        A `Metric` (None for None).

    Example:

    >>> import lamina
    >>> lamina.metrics.get("mse")
    <MeanSquaredError name=mean_squared_error>
    >>> lamina.metrics.get({"class_name": "AUC", "config": {"curve": "PR"}})
    <AUC name=...>
    """
    if identifier is None:
        return None
    obj = _REGISTRY.get(identifier)
    if isinstance(obj, Metric):
        return obj
    name = re.sub(r"\W+", "", getattr(obj, "__name__", ""))
    return MeanMetricWrapper(obj, name=to_snake_case(name) if name else None)


__all__ = sorted(
    [cls.__name__ for cls in ALL_OBJECTS]
    + [name for name in ALL_FUNCTIONS_DICT if name != "accuracy"]
    + ["MetricVariable", "get", "serialize", "deserialize"]
)
