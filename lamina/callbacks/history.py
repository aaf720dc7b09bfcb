"""`History`: records each epoch's logs; `fit` returns it."""

from __future__ import annotations

from lamina.callbacks.callback import Callback


class History(Callback):
    """Callback that records epoch logs into a `History` object.

    `fit` adds one automatically and returns it.

    Attributes:
        history: Dict mapping each log name to its list of per-epoch values.
        epoch: List of the epoch indices recorded in the last `fit`.
        stop_reason: Why training ended early (which callback stopped it,
            and its reason), or `None` when it ran all its epochs.

    Example:

    >>> import lamina
    >>> history = lamina.callbacks.History()
    >>> history.on_train_begin()
    >>> history.on_epoch_end(0, {"loss": 0.5})
    >>> history.on_epoch_end(1, {"loss": 0.25})
    >>> history.history
    {'loss': [0.5, 0.25]}
    """

    def __init__(self) -> None:
        super().__init__()
        self.history = {}
        self.epoch = []
        self.stop_reason = None

    @property
    def needs_batch_logs(self) -> bool:
        return False

    def on_train_begin(self, logs: dict | None = None) -> None:
        # As in Keras, a History reused across `fit` calls keeps appending
        # to `history` but restarts `epoch`.
        self.epoch = []
        self.stop_reason = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
