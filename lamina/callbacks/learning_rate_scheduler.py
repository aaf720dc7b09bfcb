"""`LearningRateScheduler`: set the learning rate from a function of the
epoch at the start of every epoch."""

from __future__ import annotations

import inspect
import numbers
from typing import Any
from typing import Callable

import numpy as np

from lamina.callbacks.callback import Callback
from lamina.callbacks.reduce_lr_on_plateau import log_learning_rates
from lamina.callbacks.reduce_lr_on_plateau import read_learning_rate
from lamina.utils.progbar import print_msg


def _takes_two_arguments(fn: Callable) -> bool:
    try:
        inspect.signature(fn).bind(0, 0.0)
    except TypeError:
        return False
    except ValueError:  # No signature (some builtins): assume the new API.
        return True
    return True


def _as_float(value: Any) -> float | None:
    if hasattr(value, "detach") and value.numel() == 1:
        return float(value.detach().cpu().item())
    if isinstance(value, np.ndarray) and value.size == 1:
        return float(value.reshape(()))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return None


class LearningRateScheduler(Callback):
    """Learning rate scheduler.

    At the start of every epoch the callback calls
    `schedule(epoch, learning_rate)` (or `schedule(epoch)`), sets the
    optimizer's learning rate to the result, and adds `learning_rate` to the
    epoch logs.

    Args:
        schedule: A function of the epoch index (from 0) and the current
            learning rate (float) that returns the new learning rate.
        verbose: 0 (quiet) or 1 (print the rate set at each epoch).

    Example:

    >>> import lamina
    >>> class Optimizer:
    ...     learning_rate = 0.01
    >>> class Model:
    ...     optimizer = Optimizer()
    >>> callback = lamina.callbacks.LearningRateScheduler(
    ...     lambda epoch, lr: lr if epoch < 1 else lr / 2)
    >>> callback.set_model(Model())
    >>> for epoch in range(3):
    ...     callback.on_epoch_begin(epoch)
    >>> callback.model.optimizer.learning_rate
    0.0025
    """

    def __init__(self, schedule: Callable, verbose: int = 0) -> None:
        super().__init__()
        if not callable(schedule):
            raise TypeError(
                "Invalid value for argument `schedule` of "
                "LearningRateScheduler: expected a function "
                f"`schedule(epoch, lr)`. Received: schedule={schedule!r}"
            )
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer: Any, epoch: int) -> float:
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        if _takes_two_arguments(self.schedule):
            value = self.schedule(epoch, read_learning_rate(optimizer))
        else:  # The old one-argument API.
            value = self.schedule(epoch)
        learning_rate = _as_float(value)
        if learning_rate is None:
            raise ValueError(
                "The output of the `schedule` function should be a float. "
                f"Got: {value}"
            )
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        optimizer = self.model.optimizer
        if hasattr(optimizer, "optimizers"):
            targets = [(sub, f"{sub.name} ") for sub in optimizer.optimizers]
        else:
            targets = [(optimizer, "")]
        for target, name in targets:
            learning_rate = self._update_optimizer_lr(target, epoch)
            if self.verbose > 0:
                print_msg(
                    f"\nEpoch {epoch + 1}: LearningRateScheduler setting "
                    f"{name}learning rate to {learning_rate}."
                )

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is not None:
            log_learning_rates(self.model, logs)
