"""`MonitorCallback`: the shared base of callbacks that watch one logged
quantity for improvement (`EarlyStopping`, `ReduceLROnPlateau`,
`ModelCheckpoint`)."""

from __future__ import annotations

import operator
import warnings
from typing import Any

from lamina.callbacks.callback import Callback
from lamina.errors import LaminaWarning
from lamina.errors import invalid_argument

_MODES = ("auto", "min", "max")


def _metric_direction(model: Any, name: str) -> str | None:
    """The `_direction` ("up"/"down") of the model's metric named `name`.

    Looks at `model.metrics` and one level into metric containers (the
    compiled-metrics wrapper), as Keras does.
    """
    found = None
    for metric in getattr(model, "metrics", None) or ():
        for candidate in [metric, *(getattr(metric, "metrics", None) or ())]:
            if getattr(candidate, "name", None) == name:
                found = getattr(candidate, "_direction", found)
    return found


class MonitorCallback(Callback):
    """Base class for callbacks that monitor a quantity for improvement.

    Args:
        monitor: Name of the logged quantity (`"val_loss"`).
        mode: `"min"`, `"max"`, or `"auto"` to infer the direction: losses
            are minimized; a metric follows its `_direction` attribute.
        baseline: Initial "best" value, or `None` to start from the first
            value seen.
        min_delta: Minimum change that counts as an improvement.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "auto",
        baseline: float | None = None,
        min_delta: float = 0,
    ) -> None:
        super().__init__()
        if mode not in _MODES:
            raise ValueError(
                invalid_argument(
                    type(self), "mode", "one of 'auto', 'min', 'max'", mode
                )
            )
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self) -> None:
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            self.monitor_op = self._infer_monitor_op()
        if self.monitor_op is operator.lt:
            # Improving means going below `reference - min_delta`.
            self.min_delta *= -1

    def _infer_monitor_op(self):
        name = self.monitor.removeprefix("val_")
        direction = _metric_direction(self.model, name)
        if direction is not None:
            return operator.gt if direction == "up" else operator.lt
        if name == "loss":
            return operator.lt
        raise ValueError(
            f"{type(self).__name__} callback received "
            f"monitor={self.monitor}, but Keras isn't able to automatically "
            "determine whether that metric should be maximized or minimized. "
            "Pass `mode='max'` in order to monitor based on the highest "
            "metric value, or pass `mode='min'` in order to use the lowest "
            "value."
        )

    def _is_improvement(self, value: float, reference: float | None) -> bool:
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))

    def _warn_missing(self, what: str, logs: dict) -> None:
        warnings.warn(
            f"{what} conditioned on metric `{self.monitor}` which is not "
            f"available. Available metrics are: {','.join(logs)}",
            LaminaWarning,
            stacklevel=3,
        )
