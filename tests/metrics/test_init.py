import pytest
import torch

import lamina
from lamina import metrics
from tests.keras_oracle import keras
from tests.metrics.oracle import check_config


def _keras_table():
    from keras.src.metrics import ALL_OBJECTS_DICT

    return ALL_OBJECTS_DICT


def _keras_public_names():
    return {n for n in dir(keras.metrics) if not n.startswith("_")}


# Keras 3 names not implemented (none: the whole `keras.metrics` surface).
MISSING = set()


def test_public_names_match_keras():
    ours = set(metrics.__all__) - {"MetricVariable"}
    assert ours == _keras_public_names() - MISSING
    for name in metrics.__all__:
        assert hasattr(metrics, name)


def test_name_table_matches_keras():
    theirs = {k for k, v in _keras_table().items() if v.__name__ not in MISSING}
    assert set(metrics.ALL_OBJECTS_DICT) == theirs
    for key, cls in metrics.ALL_OBJECTS_DICT.items():
        assert cls.__name__ == _keras_table()[key].__name__


@pytest.mark.parametrize(
    "identifier,cls_name",
    [
        ("accuracy", "Accuracy"),
        ("acc", "Accuracy"),
        ("mse", "MeanSquaredError"),
        ("MAE", "MeanAbsoluteError"),
        ("binary_accuracy", "BinaryAccuracy"),
        ("sparse_categorical_accuracy", "SparseCategoricalAccuracy"),
        ("AUC", "AUC"),
        ("auc", "AUC"),
        ("f1_score", "F1Score"),
        ("categorical_crossentropy", "CategoricalCrossentropy"),
        ("bce", "BinaryCrossentropy"),
    ],
)
def test_get_by_name(identifier, cls_name):
    metric = metrics.get(identifier)
    assert type(metric).__name__ == cls_name
    if identifier != "acc":
        assert type(keras.metrics.get(identifier)).__name__ == cls_name


def test_get_dict_class_instance_and_none():
    metric = metrics.get(
        {
            "class_name": "CategoricalCrossentropy",
            "config": {"from_logits": True},
        }
    )
    assert isinstance(metric, metrics.CategoricalCrossentropy)
    assert metric.from_logits is True
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)
    instance = metrics.Precision()
    assert metrics.get(instance) is instance
    assert metrics.get(None) is None


def test_get_wraps_plain_functions():
    def my_error(y_true, y_pred):
        return torch.abs(y_true - y_pred)

    metric = metrics.get(my_error)
    assert isinstance(metric, metrics.MeanMetricWrapper)
    assert metric.name == "my_error"
    metric.update_state(torch.tensor([1.0, 2.0]), torch.tensor([2.0, 4.0]))
    assert float(metric.result()) == 1.5


@pytest.mark.parametrize("identifier", ["not_a_metric", 3, object()])
def test_get_rejects_unknown_identifiers(identifier):
    with pytest.raises(
        ValueError,
        match=r"Could not interpret metric "
        r"identifier.*Received: identifier=",
    ):
        metrics.get(identifier)


def test_serialize_functions_as_keras():
    assert metrics.serialize(
        metrics.binary_accuracy
    ) == keras.metrics.serialize(keras.metrics.binary_accuracy)
    # A bare name means an instance of the class, as in Keras.
    assert isinstance(
        metrics.deserialize("binary_accuracy"), metrics.BinaryAccuracy
    )
    assert metrics.deserialize("log_cosh") is metrics.log_cosh
    assert (
        metrics.deserialize(keras.metrics.serialize(keras.metrics.hinge))
        is metrics.hinge
    )


@pytest.mark.parametrize(
    "cls_name",
    [
        cls.__name__
        for cls in metrics.ALL_OBJECTS
        if cls.__name__ not in ("Metric", "MeanMetricWrapper")
    ],
)
def test_every_metric_serializes_as_keras(cls_name):
    args = {
        "IoU": {"num_classes": 3, "target_class_ids": [1]},
        "OneHotIoU": {"num_classes": 3, "target_class_ids": [1]},
        "MeanIoU": {"num_classes": 3},
        "OneHotMeanIoU": {"num_classes": 3},
        "SensitivityAtSpecificity": {"specificity": 0.5},
        "SpecificityAtSensitivity": {"sensitivity": 0.5},
        "PrecisionAtRecall": {"recall": 0.5},
        "RecallAtPrecision": {"precision": 0.5},
    }.get(cls_name, {})
    ours = getattr(metrics, cls_name)(name="x", **args)
    theirs = getattr(keras.metrics, cls_name)(name="x", **args)
    check_config(ours, theirs)
    assert (
        lamina.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(theirs)
        ).get_config()
        == ours.get_config()
    )


def test_custom_metric_round_trip_with_custom_objects():
    @lamina.saving.register_keras_serializable(package="test_metrics")
    class Counter(metrics.Metric):
        def __init__(self, step=1.0, **kwargs):
            super().__init__(**kwargs)
            self.step = step
            self.count = self.add_variable((), "zeros", name="count")

        def update_state(self, *args):
            self.count.assign_add(self.step)

        def result(self):
            return self.count

        def get_config(self):
            return {**super().get_config(), "step": self.step}

    config = metrics.serialize(Counter(step=2.0, name="c"))
    assert config["registered_name"] == "test_metrics>Counter"
    rebuilt = metrics.deserialize(config)
    rebuilt.update_state()
    assert float(rebuilt.result()) == 2.0 and rebuilt.name == "c"
