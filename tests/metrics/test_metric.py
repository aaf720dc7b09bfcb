import copy
import pickle

import numpy as np
import pytest
import torch

import lamina
from lamina.metrics.metric import MetricVariable
from tests.keras_oracle import keras


class KerasStyleTruePositives(lamina.metrics.Metric):
    """Written as Keras's docs write a metric: `add_variable` + `assign`."""

    def __init__(self, name="binary_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(
            shape=(), initializer="zeros", name="true_positives"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = torch.logical_and(
            torch.as_tensor(y_true).bool(), torch.as_tensor(y_pred).bool()
        )
        values = values.to(torch.float32)
        if sample_weight is not None:
            values = values * torch.as_tensor(sample_weight)
        self.true_positives.assign(self.true_positives + values.sum())

    def result(self):
        return self.true_positives


class Nested(lamina.metrics.Metric):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.own = self.add_variable((2,), "ones", name="own")
        self.inner = lamina.metrics.Mean(name="inner")

    def update_state(self, values):
        self.inner.update_state(values)
        self.own.assign_add(1.0)

    def result(self):
        return self.inner.result() + self.own.sum()


def test_subclass_as_in_keras_docs():
    m = KerasStyleTruePositives()
    m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    m.update_state([1, 1], [1, 1], sample_weight=[0.5, 0.25])
    assert float(m.result()) == pytest.approx(2.75)
    m.reset_state()
    assert float(m.result()) == 0.0
    assert m.get_config() == {
        "name": "binary_true_positives",
        "dtype": "float32",
    }


def test_call_updates_then_returns_result():
    m = lamina.metrics.Mean()
    assert float(m([1.0, 3.0])) == 2.0
    assert float(m([5.0])) == 3.0


def test_variables_are_tensors_with_keras_names_and_paths():
    m = lamina.metrics.Mean(name="loss_tracker")
    assert [v.name for v in m.variables] == ["total", "count"]
    assert [v.path for v in m.variables] == [
        "loss_tracker/total",
        "loss_tracker/count",
    ]
    for v in m.variables:
        assert isinstance(v, torch.Tensor) and isinstance(v, MetricVariable)
        assert v.dtype == torch.float32 and not v.requires_grad
        assert not v.trainable and v.aggregation == "sum"


def test_sub_metrics_variables_follow_own_in_keras_order():
    m = Nested(name="outer")
    assert [v.path for v in m.variables] == [
        "outer/own",
        "inner/total",
        "inner/count",
    ]
    m.update_state([2.0, 4.0])
    assert float(m.result()) == pytest.approx(3.0 + 4.0)
    m.reset_state()
    assert all(float(v.abs().sum()) == 0 for v in m.variables)


def test_ops_on_variables_return_plain_tensors():
    m = lamina.metrics.Mean()
    assert type(m.total + 1) is torch.Tensor
    assert type(m.result()) is torch.Tensor
    assert m.total.assign(3.0) is m.total and float(m.total) == 3.0
    assert m.total.assign_sub(1.0) is m.total and float(m.total) == 2.0
    assert m.total.value is m.total


def test_updates_are_in_place():
    m = lamina.metrics.SparseCategoricalAccuracy()
    before = [v.data_ptr() for v in m.variables]
    m.update_state(torch.tensor([1, 0]), torch.tensor([[0.1, 0.9], [0.3, 0.7]]))
    m.reset_state()
    assert [v.data_ptr() for v in m.variables] == before


def test_dtype_and_policy_names():
    assert lamina.metrics.Mean(dtype="float64").total.dtype == torch.float64
    m = lamina.metrics.Mean(dtype="mixed_bfloat16")
    assert m.dtype == keras.metrics.Mean(dtype="mixed_bfloat16").dtype
    assert lamina.metrics.MeanIoU(2).dtype == keras.metrics.MeanIoU(2).dtype


def test_auto_names_are_unique_snake_case():
    first, second = lamina.metrics.AUC(), lamina.metrics.AUC()
    assert first.name.startswith("auc") and first.name != second.name
    assert lamina.metrics.MeanIoU(2).name.startswith("mean_io_u")


def test_to_moves_state_and_keeps_the_same_objects():
    m = lamina.metrics.Precision(thresholds=[0.2, 0.7])
    variables = m.variables
    moved = m.to("cpu")
    assert moved is m and m.device == torch.device("cpu")
    assert all(a is b for a, b in zip(variables, m.variables))
    m.to(torch.device("meta"))
    assert all(v.device.type == "meta" for v in m.variables)
    assert m._thresholds_tensor.device.type == "meta"


@pytest.mark.parametrize(
    "cls_name,args",
    [
        ("Mean", ([1.0, 2.0],)),
        ("SparseCategoricalAccuracy", ([1, 0], [[0.2, 0.8], [0.6, 0.4]])),
        ("AUC", ([1, 0], [0.8, 0.4])),
        ("F1Score", ([[1, 0]], [[0.8, 0.4]])),
    ],
)
def test_state_follows_the_device_of_the_data(cls_name, args):
    # Without a second real device here, "meta" stands in for a GPU.
    m = getattr(lamina.metrics, cls_name)()
    tensors = [torch.as_tensor(a, device="meta") for a in args]
    m.update_state(*tensors)
    assert m.device.type == "meta"
    assert all(v.device.type == "meta" for v in m.variables)


def test_deepcopy_and_pickle_keep_state():
    m = lamina.metrics.Mean(name="m")
    m.update_state([1.0, 2.0, 6.0])
    for clone in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert float(clone.result()) == 3.0
        clone.update_state([10.0])
        assert float(m.result()) == 3.0
        assert clone.variables[0].path == "m/total"
        assert clone.total is clone.variables[0]


def test_add_variable_initializers_and_shapes():
    m = lamina.metrics.Metric(name="x")
    assert float(m.add_variable(3, "ones").sum()) == 3.0
    assert m.add_variable((2, 2), 5.0, dtype="float64").dtype == (torch.float64)
    custom = m.add_variable((2,), lambda shape, dtype: np.full(shape, 7.0))
    assert custom.tolist() == [7.0, 7.0]
    assert [v.name for v in m.variables][:2] == ["variable_0", "variable_1"]


def test_add_variable_rejects_bad_aggregation_and_initializer():
    m = lamina.metrics.Metric(name="x")
    with pytest.raises(
        ValueError,
        match=r"`aggregation` of Metric.*"
        r"Received: aggregation='max'",
    ):
        m.add_variable((), "zeros", aggregation="max")
    with pytest.raises(
        ValueError,
        match=r"`initializer`.*"
        r"Received: initializer=<object",
    ):
        m.add_variable((), object())


def test_missing_super_init_is_explained():
    class Broken(lamina.metrics.Metric):
        def __init__(self):
            self.total = None

    with pytest.raises(
        RuntimeError,
        match=r"super\(\).__init__\(\).*"
        r"Broken",
    ):
        Broken().add_variable((), "zeros")


def test_base_methods_must_be_implemented():
    m = lamina.metrics.Metric()
    with pytest.raises(NotImplementedError):
        m.update_state(1)
    with pytest.raises(NotImplementedError):
        m.result()


def test_repr():
    assert repr(lamina.metrics.Mean(name="m")) == "<Mean name=m>"
    assert "path=m2/total" in repr(lamina.metrics.Mean(name="m2").total)


COMPILE_CASES = [
    ("Mean", {}, ([1.0, 2.0, 3.0],)),
    (
        "SparseCategoricalAccuracy",
        {},
        ([0, 1, 2], [[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.5, 0.4, 0.1]]),
    ),
    ("BinaryAccuracy", {}, ([[1.0], [0.0]], [[0.7], [0.6]])),
    ("AUC", {}, ([1.0, 0.0, 1.0], [0.7, 0.2, 0.4])),
    ("Precision", {"thresholds": [0.3, 0.6]}, ([1.0, 0.0], [0.7, 0.4])),
    ("MeanIoU", {"num_classes": 3}, ([0, 1, 2], [0, 2, 2])),
    (
        "SparseCategoricalCrossentropy",
        {"ignore_class": 0},
        ([1, 0], [[0.7, 0.3], [0.2, 0.8]]),
    ),
]


@pytest.mark.compile
@pytest.mark.parametrize("cls_name,kwargs,args", COMPILE_CASES)
def test_update_state_traces_whole_with_torch_compile(cls_name, kwargs, args):
    # fullgraph=True fails on any graph break: no host read, no Python
    # branch on a tensor value in the update.
    torch._dynamo.reset()
    tensors = [torch.as_tensor(a) for a in args]
    compiled = getattr(lamina.metrics, cls_name)(**kwargs)
    eager = getattr(lamina.metrics, cls_name)(**kwargs)
    step = torch.compile(
        lambda: compiled.update_state(*tensors), fullgraph=True, backend="eager"
    )
    step()
    step()
    eager.update_state(*tensors)
    eager.update_state(*tensors)
    torch.testing.assert_close(compiled.result(), eager.result())


@pytest.mark.compile
@pytest.mark.parametrize(
    "cls_name,kwargs,args",
    [
        ("F1Score", {}, ([[1.0, 0.0], [0.0, 1.0]], [[0.7, 0.2], [0.4, 0.5]])),
        ("R2Score", {}, ([[1.0], [0.0], [3.0]], [[0.7], [0.2], [2.0]])),
        (
            "AUC",
            {"multi_label": True},
            ([[1.0, 0.0], [0.0, 1.0]], [[0.7, 0.2], [0.4, 0.5]]),
        ),
    ],
)
def test_state_built_inside_a_compiled_step(cls_name, kwargs, args):
    # The first update creates the state: torch.compile runs that part
    # eagerly (a graph break) and traces the rest.
    torch._dynamo.reset()
    tensors = [torch.as_tensor(a) for a in args]
    compiled = getattr(lamina.metrics, cls_name)(**kwargs)
    eager = getattr(lamina.metrics, cls_name)(**kwargs)
    step = torch.compile(
        lambda: compiled.update_state(*tensors), backend="eager"
    )
    for _ in range(2):
        step()
        eager.update_state(*tensors)
    assert all(type(v) is MetricVariable for v in compiled.variables)
    torch.testing.assert_close(compiled.result(), eager.result())
