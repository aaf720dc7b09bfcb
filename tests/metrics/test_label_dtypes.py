"""Every metric and loss takes bool, integer and uint8 labels as Keras's
do (same values), e.g. `CategoricalAccuracy` on bool one-hot labels."""

import inspect

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras, to_numpy

# Metrics whose default construction needs arguments or other inputs.
NEEDS_ARGUMENTS = {
    "MeanIoU",
    "IoU",
    "BinaryIoU",
    "OneHotIoU",
    "OneHotMeanIoU",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "CTC",
}


def _shared_classes(family):
    names = []
    for name in dir(getattr(keras, family)):
        obj = getattr(getattr(keras, family), name)
        if (
            name[0].isupper()
            and inspect.isclass(obj)
            and name not in NEEDS_ARGUMENTS
            and hasattr(getattr(lamina, family), name)
        ):
            names.append((family, name))
    return names


CLASSES = _shared_classes("metrics") + _shared_classes("losses")
rng = np.random.default_rng(0)
Y_PRED = rng.uniform(0.05, 0.95, (6, 3)).astype("float32")
Y_PRED /= Y_PRED.sum(1, keepdims=True)
ONE_HOT = np.eye(3)[rng.integers(0, 3, 6)]
SPARSE = rng.integers(0, 3, (6,))


def _value(obj, family, y_true):
    if family == "metrics":
        obj.update_state(y_true, Y_PRED)
        return to_numpy(obj.result())
    return to_numpy(obj(y_true, Y_PRED))


@pytest.mark.parametrize("family, name", CLASSES)
@pytest.mark.parametrize("dtype", ["bool", "int64", "uint8"])
def test_non_float_labels_match_keras(family, name, dtype):
    labels = SPARSE if "Sparse" in name else ONE_HOT
    if dtype == "bool" and "Sparse" in name:
        labels = labels > 0
    y_true = labels.astype(dtype)
    try:
        theirs = _value(getattr(getattr(keras, family), name)(), family, y_true)
    except Exception:  # noqa: BLE001 - Keras refuses too: nothing to match
        return
    mine = _value(getattr(getattr(lamina, family), name)(), family, y_true)
    np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-6)


def test_the_walk_covers_the_usual_classes():
    names = {name for _, name in CLASSES}
    assert {
        "CategoricalAccuracy",
        "BinaryCrossentropy",
        "Precision",
        "TruePositives",
        "CategoricalCrossentropy",
    } <= names
