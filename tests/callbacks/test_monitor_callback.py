"""MonitorCallback: direction inference and min_delta, as in Keras."""

import pytest

from lamina.callbacks.monitor_callback import MonitorCallback
from tests.callbacks.fakes import FakeMetric
from tests.callbacks.fakes import FakeModel


class Container:
    """A compiled-metrics wrapper: metrics one level down."""

    name = "compile_metrics"

    def __init__(self, *metrics):
        self.metrics = list(metrics)


def monitor(model, **kwargs):
    callback = MonitorCallback(**kwargs)
    callback.set_model(model)
    callback._set_monitor_op()
    return callback


@pytest.mark.parametrize(
    "name, metrics, improves",
    [
        ("val_loss", [], (0.4, 0.5)),
        ("loss", [], (0.4, 0.5)),
        ("val_auc", [Container(FakeMetric("auc", "up"))], (0.6, 0.5)),
        ("mae", [FakeMetric("mae", "down")], (0.4, 0.5)),
    ],
)
def test_auto_direction(name, metrics, improves):
    callback = monitor(FakeModel(metrics=metrics), monitor=name)
    better, reference = improves
    assert callback._is_improvement(better, reference)
    assert not callback._is_improvement(reference, better)
    assert callback._is_improvement(reference, None)


def test_min_delta_is_a_margin_in_either_direction():
    low = monitor(FakeModel(), monitor="loss", min_delta=-0.1)
    assert low.min_delta == -0.1  # abs() then negated for "min"
    assert low._is_improvement(0.35, 0.5)
    assert not low._is_improvement(0.45, 0.5)
    high = monitor(FakeModel(), monitor="acc", mode="max", min_delta=0.1)
    assert high._is_improvement(0.65, 0.5)
    assert not high._is_improvement(0.55, 0.5)


def test_unknown_direction_says_how_to_fix():
    with pytest.raises(
        ValueError,
        match=r"MonitorCallback callback received "
        r"monitor=val_f1.*Pass `mode='max'`",
    ):
        monitor(FakeModel(), monitor="val_f1")
