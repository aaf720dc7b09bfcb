"""`BackupAndRestore`: resume an interrupted `fit` where it stopped."""

from __future__ import annotations

import numbers
import os
import warnings
from typing import Any

from lamina.callbacks import backup_state
from lamina.callbacks.backup_folder import BackupFolder
from lamina.callbacks.callback import Callback
from lamina.runtime.chief import run_on_chief
from lamina.errors import LaminaWarning
from lamina.errors import invalid_argument
from lamina.optimizers.optimizer_variables import build_optimizer


class BackupAndRestore(Callback):
    """Callback to back up the training state and restore it after a crash.

    Every `save_freq` the callback writes a backup into `backup_dir`. When
    `fit` starts again (after the process was killed, for example) with the
    same model, compile arguments and `fit` arguments, the callback restores
    the newest backup and training goes on where the backup was taken:

    - the weights and the optimizer state (`.weights.h5`);
    - the epoch and, with an integer `save_freq`, the step inside the
      epoch: the batches already trained on are skipped in the same order;
    - the random state (torch, NumPy, Python `random`, lamina's seed
      generator, the layers' own generators) and the metrics' totals.

    With the same seeds on CPU the resumed run ends with the same weights
    as a run never interrupted. When `fit` finishes normally the backup is
    deleted (see `delete_checkpoint`). Each file is written atomically, and
    the small JSON record that names the newest weights file is written
    last: a crash at any moment leaves the previous backup usable. Under
    `lamina.distribute` only rank 0 writes.

    Not in the backup: the state of other callbacks (`EarlyStopping`'s
    patience, ...), as in Keras; the totals of compiled metrics, which are
    built again on the first batch after a restart (the `loss` is whole).
    The skipped batches are drawn again, so the data must come in the same
    order on each run (arrays, a `PyDataset`, a `DataLoader` shuffled by
    torch's generator, a generator that starts over the same way); with a
    `steps_per_epoch` shorter than the data, a pass over the data that
    spans epochs starts over at the resumed epoch.

    Args:
        backup_dir: Folder for the backup, used by this callback alone
            (not shared with another run or with `ModelCheckpoint`).
        save_freq: `"epoch"` to back up at the end of each epoch, or an
            integer N to back up every N batches.
        double_checkpoint: Keep the previous backup too; if the newest one
            cannot be read (a damaged file), restore the previous one.
        delete_checkpoint: Delete `backup_dir` when `fit` ends normally.
            Use `False` to keep the final state.

    Raises:
        ValueError: an empty `backup_dir`; a `save_freq` that is neither
            `"epoch"` nor a positive integer; at the start of `fit`, an
            unbuilt model, or a backup that cannot be restored.

    Example:

    >>> import os, tempfile, numpy as np, lamina
    >>> folder = os.path.join(tempfile.mkdtemp(), "backup")
    >>> class Interrupt(lamina.callbacks.Callback):
    ...     def on_epoch_begin(self, epoch, logs=None):
    ...         if epoch == 4:
    ...             raise RuntimeError("Interrupting!")
    >>> model = lamina.Sequential([lamina.Input((20,)),
    ...                            lamina.layers.Dense(10)])
    >>> model.compile("sgd", loss="mse")
    >>> x, y = np.ones((5, 20)), np.zeros((5, 10))
    >>> backup = lamina.callbacks.BackupAndRestore(backup_dir=folder)
    >>> try:
    ...     model.fit(x, y, epochs=10, batch_size=1, verbose=0,
    ...               callbacks=[backup, Interrupt()])
    ... except RuntimeError:
    ...     pass
    >>> history = model.fit(x, y, epochs=10, batch_size=1, verbose=0,
    ...                     callbacks=[backup])
    >>> history.epoch  # Epochs 0 to 3 were done before the interruption.
    [4, 5, 6, 7, 8, 9]
    >>> os.path.exists(folder)
    False
    """

    def __init__(
        self,
        backup_dir: str | os.PathLike,
        save_freq: str | int = "epoch",
        double_checkpoint: bool = False,
        delete_checkpoint: bool = True,
    ) -> None:
        super().__init__()
        self.backup_dir = _check_backup_dir(backup_dir)
        self.save_freq = _check_save_freq(save_freq)
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = bool(delete_checkpoint)
        self._folder = BackupFolder(self.backup_dir)
        self._reset()

    def _reset(self) -> None:
        self._sequence = 0  # Number of the newest weights file.
        self._last_record = None  # The newest good backup's record.
        self._epoch = 0
        self._last_batch = None
        self._batches_since_save = 0
        self._epoch_rng = None  # Random state when the epoch began.

    @property
    def needs_batch_logs(self) -> bool:
        return self.save_freq != "epoch"

    # -- hooks -------------------------------------------------------------

    def on_train_begin(self, logs: dict | None = None) -> None:
        model = self.model
        if not model.built:
            raise ValueError(
                "BackupAndRestore needs a built model before `fit()`: "
                f"model '{model.name}' is not built, and `fit` builds it "
                "from the first batch only for arrays, tensors and "
                "PyDatasets (not a generator). Build it first, with an "
                "`Input` or by calling it on a batch of data."
            )
        self._reset()
        self._sequence = self._folder.newest_number()
        if self._folder.has_backup():
            self._restore()
        run_on_chief(self._folder.make, f"creating {self.backup_dir}")

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch
        if self.save_freq != "epoch":
            # A backup taken inside this epoch needs the state that drew
            # the epoch's data order, to draw the same order again.
            self._epoch_rng = backup_state.capture_rng(self.model)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self._should_save_on_batch(batch):
            self._save(self._epoch, batch + 1)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch":
            self._save(epoch + 1, 0)

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.delete_checkpoint:
            run_on_chief(
                self._folder.delete, f"deleting the backup in {self.backup_dir}"
            )
        self._reset()

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        # Batch indices restart each epoch and may jump by more than one.
        if self._last_batch is None or batch <= self._last_batch:
            self._batches_since_save += batch + 1
        else:
            self._batches_since_save += batch - self._last_batch
        self._last_batch = batch
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            return True
        return False

    # -- saving ------------------------------------------------------------

    def _save(self, epoch: int, step: int) -> None:
        model, folder = self.model, self._folder
        sequence = self._sequence + 1
        record = folder.new_record(
            sequence,
            epoch=epoch,
            step=step,
            rng=backup_state.capture_rng(model),
            epoch_rng=self._epoch_rng if step else None,
            metrics=backup_state.capture_metrics(model) if step else None,
        )
        previous = self._last_record if self.double_checkpoint else None
        # Atomic, and rank 0 only (`save_weights` sees to both).
        model.save_weights(folder.weights_path(record))
        run_on_chief(
            lambda: folder.commit(record, previous),
            f"saving the backup record {folder.record_path}",
        )
        self._sequence = sequence
        self._last_record = record

    # -- restoring ---------------------------------------------------------

    def _restore(self) -> None:
        try:
            record = self._load(self._folder.record_path)
        except (OSError, ValueError) as error:
            previous = self._folder.previous_path
            if not (self.double_checkpoint and os.path.exists(previous)):
                raise ValueError(self._unreadable(error)) from error
            warnings.warn(
                f"BackupAndRestore cannot restore the newest backup in "
                f"{self.backup_dir}: {error} Restoring the previous backup "
                f"({previous}) instead.",
                LaminaWarning,
                stacklevel=2,
            )
            try:
                record = self._load(previous)
            except (OSError, ValueError) as second:
                raise ValueError(self._unreadable(second)) from second
        self._resume_from(record)

    def _unreadable(self, error: BaseException) -> str:
        hint = (
            ""
            if self.double_checkpoint
            else (
                " (`double_checkpoint=True` keeps the previous backup as well, "
                "to fall back on)"
            )
        )
        return (
            f"BackupAndRestore cannot restore the backup in "
            f"{self.backup_dir}: {error} Delete the folder to train from the "
            f"start{hint}."
        )

    def _load(self, record_path: str) -> dict:
        """Read the record at `record_path` and load the weights it names.

        Raises:
            ValueError: the record or its weights file is damaged or does
                not fit the model (the message names the file).
            OSError: a file cannot be read.
        """
        epochs = (self.params or {}).get("epochs")
        record = self._folder.read(
            record_path, epochs if isinstance(epochs, int) else None
        )
        model = self.model
        # The file holds optimizer slots: create them to load into.
        build_optimizer(model)
        model.load_weights(self._folder.weights_path(record))
        return record

    def _resume_from(self, record: dict) -> None:
        model, step = self.model, record["step"]
        self._last_record = record
        self._epoch = record["epoch"]
        if step:
            # Draw the interrupted epoch's data order again first; the
            # state of the moment of the backup follows once `fit` has
            # skipped the batches already trained on.
            self._last_batch = step - 1
            backup_state.restore_rng(model, record["epoch_rng"])
        else:
            backup_state.restore_rng(model, record["rng"])

        def on_skipped() -> None:
            backup_state.restore_rng(model, record["rng"])
            backup_state.restore_metrics(model, record["metrics"])

        # Read by `lamina.trainers.epoch_loops.fit` after `on_train_begin`.
        model._fit_resume = backup_state.ResumePoint(
            record["epoch"], step, on_skipped
        )


def _check_backup_dir(backup_dir: Any) -> str:
    if isinstance(backup_dir, os.PathLike):
        backup_dir = os.fspath(backup_dir)
    if not isinstance(backup_dir, str) or not backup_dir:
        raise ValueError(
            invalid_argument(
                "BackupAndRestore",
                "backup_dir",
                "a non-empty folder path",
                backup_dir,
            )
        )
    return backup_dir


def _check_save_freq(save_freq: Any) -> str | int:
    if isinstance(save_freq, str) and save_freq == "epoch":
        return save_freq
    if (
        isinstance(save_freq, numbers.Integral)
        and not isinstance(save_freq, bool)
        and save_freq > 0
    ):
        return int(save_freq)
    raise ValueError(
        invalid_argument(
            "BackupAndRestore",
            "save_freq",
            "'epoch' or a positive integer (a number of batches)",
            save_freq,
        )
    )


__all__ = ["BackupAndRestore"]
