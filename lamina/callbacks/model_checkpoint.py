"""`ModelCheckpoint`: save the model or its weights during training."""

from __future__ import annotations

import os
import warnings
from functools import partial
from typing import Any

import numpy as np

from lamina.callbacks.monitor_callback import MonitorCallback
from lamina.runtime.chief import run_on_chief
from lamina.errors import LaminaWarning
from lamina.utils.progbar import print_msg


class _FilepathKeyError(KeyError):
    # A KeyError (as Keras raises) whose message prints unquoted.
    def __str__(self) -> str:
        return str(self.args[0])


def _check_filepath(filepath: str, save_weights_only: bool) -> None:
    if save_weights_only:
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                "When using `save_weights_only=True` in `ModelCheckpoint`, "
                "the filepath provided must end in `.weights.h5` (Keras "
                f"weights format). Received: filepath={filepath}"
            )
    elif filepath.endswith(".weights.h5"):
        # Keras would take this for a legacy `.h5` model file; it is far
        # more likely a forgotten `save_weights_only=True`.
        raise ValueError(
            "The filepath provided must end in `.keras` (Keras model "
            f"format). Received: filepath={filepath}. To save only the "
            "weights to a `.weights.h5` file, pass `save_weights_only=True`."
        )
    elif not filepath.endswith((".keras", ".h5")):
        raise ValueError(
            "The filepath provided must end in `.keras` (Keras model "
            f"format). Received: filepath={filepath}"
        )


class ModelCheckpoint(MonitorCallback):
    """Callback to save the model or its weights at some frequency.

    `filepath` may hold named formatting options filled from `epoch`
    (1-based), `batch` (with an integer `save_freq`) and the logs: with
    `"weights.{epoch:02d}-{val_loss:.2f}.weights.h5"` each checkpoint gets
    its own file.

    Args:
        filepath: Where to save: a path ending in `.keras` (whole model) or,
            with `save_weights_only=True`, in `.weights.h5`.
        monitor: The metric name to monitor with `save_best_only`.
        verbose: 0 (silent) or 1 (print a message on each save).
        save_best_only: Only save when the monitored quantity improves on
            the best seen so far (a fixed `filepath` then always holds the
            best model).
        save_weights_only: Save only the weights
            (`model.save_weights`) instead of the model (`model.save`).
        mode: `"min"`, `"max"` or `"auto"`: the direction in which the
            monitored quantity improves.
        save_freq: `"epoch"`, or an integer number of batches between saves.
        initial_value_threshold: Initial "best" value the monitored
            quantity must beat before the first save (with
            `save_best_only`).

    Example:

    ```python
    checkpoint = lamina.callbacks.ModelCheckpoint(
        "ckpt/best.keras", monitor="val_accuracy", mode="max",
        save_best_only=True)
    model.fit(x, y, epochs=10, validation_split=0.2,
              callbacks=[checkpoint])
    ```
    """

    def __init__(
        self,
        filepath: str | os.PathLike,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
    ) -> None:
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        self._current_epoch = 0
        if save_freq != "epoch" and (
            not isinstance(save_freq, int)
            or isinstance(save_freq, bool)
            or save_freq < 1
        ):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq!r}. Expected save_freq "
                "are 'epoch' or positive integer values"
            )
        _check_filepath(self.filepath, save_weights_only)

    @property
    def needs_batch_logs(self) -> bool:
        return self.save_freq != "epoch"

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self._should_save_on_batch(batch):
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        # Batch indices restart each epoch; with `steps_per_execution` they
        # may also jump by more than one.
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch: int, logs: dict, filepath: str):
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Can save best model only with {self.monitor} available.",
                LaminaWarning,
                stacklevel=3,
            )
            return True
        if np.ndim(current) > 0:
            warnings.warn(
                "Can save best model only when `monitor` is a scalar value. "
                f"Received: {current}. Falling back to "
                "`save_best_only=False`.",
                LaminaWarning,
                stacklevel=3,
            )
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_msg(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from "
                    f"{best} to {current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            print_msg(
                f"\nEpoch {epoch + 1}: {self.monitor} did not improve from "
                f"{best}"
            )
        return False

    def _save_model(self, epoch: int, batch: int | None, logs: Any) -> None:
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, logs, filepath):
            return
        if os.path.isdir(filepath):
            raise IsADirectoryError(
                "Please specify a non-directory filepath for "
                "ModelCheckpoint. Filepath used is an existing directory: "
                f"{filepath}"
            )
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            write = partial(self.model.save_weights, filepath, overwrite=True)
        else:
            write = partial(self.model.save, filepath, overwrite=True)
        # Under lamina.distribute only rank 0 writes; the others wait for
        # the file to be whole. As one process this is just `write()`.
        run_on_chief(write, f"saving checkpoint {filepath}", self.model)
        if self.verbose > 0:
            print_msg(
                f"\nEpoch {epoch + 1}: finished saving model to {filepath}"
            )

    def _get_file_path(self, epoch: int, batch: int | None, logs: dict):
        """The checkpoint path, its template filled from epoch, batch, logs."""
        fields = dict(logs)
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as e:
            raise _FilepathKeyError(
                f'Failed to format this callback filepath: "{self.filepath}". '
                f"Reason: {e}. Available keys: {', '.join(sorted(fields))}."
            ) from e
