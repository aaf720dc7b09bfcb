"""`DistributedCallbackList`: the callbacks of one rank of a distributed
`fit`, `evaluate` or `predict`.

Every rank runs the same callbacks on the same (global) logs, so that
`History`, `EarlyStopping`, `ReduceLROnPlateau` and `ModelCheckpoint`'s
best-so-far decide the same everywhere. On ranks other than 0:

- callbacks that only report (`ProgbarLogger`, `CSVLogger`,
  `TensorBoard`, or any callback with `chief_only = True`) are left out;
- whatever the remaining callbacks print is discarded;
- `ModelCheckpoint` decides, and waits while rank 0 writes (see `chief`).

Whether batch-level hooks run is decided for all ranks at once (any rank
needing them means all run them), because batch logs are reduced across
ranks. After each `on_train_batch_end` and `on_epoch_end` the ranks agree
on `model.stop_training` (any rank stopping stops all), and `fit` ends
with a barrier, so that when it returns rank 0's files are complete.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from lamina.callbacks.callback_list import CallbackList
from lamina.callbacks.csv_logger import CSVLogger
from lamina.callbacks.progbar_logger import ProgbarLogger
from lamina.callbacks.tensorboard import TensorBoard
from lamina.runtime import collectives
from lamina.runtime.environment import is_chief

_REPORTERS = (ProgbarLogger, CSVLogger, TensorBoard)


def chief_only(callback: Any) -> bool:
    """Whether `callback` runs on rank 0 only."""
    flag = getattr(callback, "chief_only", None)
    if isinstance(flag, bool):
        return flag
    return isinstance(callback, _REPORTERS)


class DistributedCallbackList(CallbackList):
    """One rank's view of `base`, a `CallbackList` (see the module doc).

    Args:
        base: the list that a single process would use.
    """

    def __init__(self, base: CallbackList) -> None:
        chief = is_chief()
        kept = [cb for cb in base.callbacks if chief or not chief_only(cb)]
        super().__init__(kept, model=base._model, **(base.params or {}))
        self._quiet = None if chief else open(os.devnull, "w")
        self._batch_logs = collectives.any_rank(
            base.needs_batch_logs, "the agreement on batch-level callbacks"
        )

    @property
    def needs_batch_logs(self) -> bool:
        return self._batch_logs

    def _dispatch(self, hook: str, index: int | None, logs: Any) -> None:
        quiet = self.__dict__.get("_quiet")
        with (
            contextlib.redirect_stdout(quiet)
            if quiet
            else contextlib.nullcontext()
        ):
            super()._dispatch(hook, index, logs)
        if hook in ("on_train_batch_end", "on_epoch_end"):
            self._agree_on_stop()
        elif hook == "on_train_end":
            collectives.barrier("the end of fit (waiting for rank 0)")

    def _agree_on_stop(self) -> None:
        model = self._model
        if model is None:
            return
        stop = collectives.any_rank(
            bool(model.stop_training), "the agreement on stopping training"
        )
        model.stop_training = stop

    def __del__(self) -> None:
        quiet = self.__dict__.get("_quiet")
        if quiet is not None:
            quiet.close()


__all__ = ["DistributedCallbackList", "chief_only"]
