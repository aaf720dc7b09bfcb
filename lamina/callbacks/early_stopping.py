"""`EarlyStopping`: stop training when a monitored quantity stops
improving."""

from __future__ import annotations

from lamina.callbacks.monitor_callback import MonitorCallback
from lamina.utils.progbar import print_msg


class EarlyStopping(MonitorCallback):
    """Stop training when a monitored metric has stopped improving.

    At the end of every epoch the callback compares the monitored value
    with the best one so far; after `patience` epochs without an
    improvement larger than `min_delta` it sets `model.stop_training`.
    Why it stopped is kept in `stop_reason` (and in the `History` that
    `fit` returns).

    Args:
        monitor: Quantity to be monitored. Defaults to `"val_loss"`.
        min_delta: Minimum change in the monitored quantity to qualify as an
            improvement. Defaults to `0`.
        patience: Number of epochs with no improvement after which training
            is stopped. Defaults to `0`.
        verbose: 0 (silent) or 1 (print a message when the callback acts).
        mode: `"min"`, `"max"` or `"auto"` (infer the direction from the
            monitored quantity). Defaults to `"auto"`.
        baseline: Value the monitored quantity must beat; training stops if
            it does not within `patience` epochs. Defaults to `None`.
        restore_best_weights: Whether to restore the weights of the best
            epoch when training ends (whatever the `baseline`). Defaults to
            `False`.
        start_from_epoch: Number of warm-up epochs before monitoring starts.
            Defaults to `0`.

    Example:

    >>> import lamina
    >>> class Model:
    ...     stop_training = False
    >>> callback = lamina.callbacks.EarlyStopping(monitor="loss", patience=1)
    >>> callback.set_model(Model())
    >>> callback.on_train_begin()
    >>> for epoch, loss in enumerate([0.5, 0.4, 0.45, 0.41]):
    ...     callback.on_epoch_end(epoch, {"loss": loss})
    ...     if callback.model.stop_training:
    ...         break
    >>> callback.stopped_epoch
    2
    >>> print(callback.stop_reason)  # doctest: +ELLIPSIS
    `loss` did not improve on the best value 0.40000 (epoch 2) for 1 epoch(s)...
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0
        self.stop_reason = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0
        self.stop_reason = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Something to restore even when no epoch beats the baseline.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(
                current, self.baseline
            ):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.stop_reason = self._describe_stop(current)
            self.model.stop_training = True

    def _describe_stop(self, current: float) -> str:
        target = f"the best value {self.best:.5f} (epoch {self.best_epoch + 1})"
        if self.baseline is not None and not self._is_improvement(
            self.best, self.baseline
        ):
            target = f"the baseline {self.baseline}"
        return (
            f"`{self.monitor}` did not improve on {target} for {self.wait} "
            f"epoch(s); it was {current:.5f} at epoch {self.stopped_epoch + 1}."
        )

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
            print_msg(self.stop_reason)
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs: dict | None) -> float | None:
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            self._warn_missing("Early stopping", logs)
        return value
