"""`ReduceLROnPlateau`: lower the learning rate when a monitored quantity
stops improving."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.callbacks.monitor_callback import MonitorCallback
from lamina.errors import unrecognized_kwargs
from lamina.utils.progbar import print_msg


def read_learning_rate(optimizer: Any) -> float:
    """The optimizer's learning rate as a Python float (one host sync)."""
    value = optimizer.learning_rate
    if hasattr(value, "detach"):
        return float(value.detach().cpu().item())
    return float(np.asarray(value))


def log_learning_rates(model: Any, logs: dict) -> None:
    """Add `learning_rate` (or `learning_rate_<name>` per sub-optimizer)."""
    optimizer = model.optimizer
    if hasattr(optimizer, "optimizers"):
        for sub in optimizer.optimizers:
            logs[f"learning_rate_{sub.name}"] = read_learning_rate(sub)
    else:
        logs["learning_rate"] = read_learning_rate(optimizer)


class ReduceLROnPlateau(MonitorCallback):
    """Reduce the learning rate when a metric has stopped improving.

    When no improvement is seen for `patience` epochs, the learning rate
    becomes `max(lr * factor, min_lr)`; the callback then waits `cooldown`
    epochs before counting again. It also adds the current `learning_rate`
    to the epoch logs.

    Args:
        monitor: Quantity to be monitored. Defaults to `"val_loss"`.
        factor: Factor by which the learning rate is reduced, below 1.
        patience: Number of epochs with no improvement after which the
            learning rate is reduced.
        verbose: 0 (quiet) or 1 (print a message on each reduction).
        mode: `"min"`, `"max"` or `"auto"`.
        min_delta: Minimum change that counts as an improvement.
        cooldown: Number of epochs to wait after a reduction before
            resuming normal operation.
        min_lr: Lower bound on the learning rate.

    Example:

    >>> import lamina
    >>> class Optimizer:
    ...     learning_rate = 0.1
    >>> class Model:
    ...     optimizer = Optimizer()
    >>> callback = lamina.callbacks.ReduceLROnPlateau(
    ...     monitor="loss", factor=0.5, patience=1)
    >>> callback.set_model(Model())
    >>> callback.on_train_begin()
    >>> for epoch, loss in enumerate([0.5, 0.5, 0.5]):
    ...     callback.on_epoch_end(epoch, {"loss": loss})
    >>> callback.model.optimizer.learning_rate
    0.025
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise TypeError(unrecognized_kwargs(type(self), kwargs))
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                "ReduceLROnPlateau does not support a factor >= 1.0. "
                f"Received factor={factor}"
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        # Keras writes into the shared logs, so `History` records the rate.
        logs = {} if logs is None else logs
        log_learning_rates(self.model, logs)
        current = logs.get(self.monitor)
        if current is None:
            self._warn_missing("Learning rate reduction is", logs)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce_all(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def _reduce_all(self, epoch: int) -> bool:
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "optimizers"):
            return self._reduce(optimizer, epoch)
        reduced = False
        for sub in optimizer.optimizers:
            reduced = self._reduce(sub, epoch, sub.name) or reduced
        return reduced

    def _reduce(self, optimizer: Any, epoch: int, name: str = "") -> bool:
        old_lr = read_learning_rate(optimizer)
        # The rate is stored in float32: compare at that precision.
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            name = f" {name}" if name else ""
            print_msg(
                f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{name} "
                f"learning rate to {new_lr}."
            )
        return True
