"""The `Callback` base class: no-op hooks that `fit`, `evaluate` and
`predict` call at fixed points of their loops."""

from __future__ import annotations

from typing import Any

# Hooks called once per batch. The trainer may skip them (and the host sync
# that turning batch logs into Python floats costs) when no callback needs
# them; see `Callback.needs_batch_logs`.
BATCH_HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
)
EPOCH_HOOKS = ("on_epoch_begin", "on_epoch_end")
LOOP_HOOKS = (
    "on_train_begin",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_predict_begin",
    "on_predict_end",
)
ALL_HOOKS = LOOP_HOOKS + EPOCH_HOOKS + BATCH_HOOKS


def _default(method):
    # Marks the base no-op so that overrides can be told apart cheaply.
    method._is_default = True
    return method


def overrides_batch_hooks(callback: Any) -> bool:
    """Whether `callback` replaces any batch-level hook of the base class.

    Works for subclasses and for instances whose hooks were assigned as
    attributes (`LambdaCallback`).
    """
    for name in BATCH_HOOKS:
        method = getattr(callback, name, None)
        if method is not None and not getattr(method, "_is_default", False):
            return True
    return False


class Callback:
    """Base class used to build new callbacks.

    Callbacks hook into the stages of `fit()`, `evaluate()` and `predict()`.
    Subclass `Callback` and override the hooks you need; all of them do
    nothing by default.

    Attributes:
        params: Dict. Training parameters (`verbose`, `epochs`, `steps`).
        model: The `Model` being trained (the wrapped module when the model
            runs under `DistributedDataParallel`).

    Example:

    >>> import lamina
    >>> class EpochCounter(lamina.callbacks.Callback):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.count = 0
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.count += 1
    >>> counter = EpochCounter()
    >>> counter.on_epoch_end(0, {"loss": 0.5})
    >>> counter.count
    1
    """

    def __init__(self) -> None:
        self.params = None
        self._model = None

    def set_params(self, params: dict | None) -> None:
        self.params = params

    def set_model(self, model: Any) -> None:
        self._model = model

    @property
    def model(self) -> Any:
        model = self._model
        # Callbacks act on the user's model, not on the DDP wrapper.
        module = getattr(model, "module", None)
        if module is not None and _is_ddp(model):
            return module
        return model

    @property
    def needs_batch_logs(self) -> bool:
        """Whether this callback needs the batch-level hooks called.

        `True` when the callback overrides any batch hook. Built-in
        callbacks refine it (a `ModelCheckpoint` saving once per epoch
        needs none), so that `fit` can skip per-batch work.
        """
        return overrides_batch_hooks(self)

    @_default
    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """A backwards compatibility alias for `on_train_batch_begin`."""

    @_default
    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """A backwards compatibility alias for `on_train_batch_end`."""

    @_default
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the start of an epoch (training only)."""

    @_default
    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the end of an epoch (training only).

        Args:
            epoch: Integer, index of the epoch.
            logs: Dict of metric results for this epoch, validation results
                prefixed with `val_` (`{'loss': 0.2, 'val_loss': 0.3}`).
        """

    @_default
    def on_train_batch_begin(
        self, batch: int, logs: dict | None = None
    ) -> None:
        """Called at the start of a training batch in `fit`."""
        self.on_batch_begin(batch, logs=logs)

    @_default
    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called at the end of a training batch in `fit`.

        Args:
            batch: Integer, index of the batch within the epoch.
            logs: Dict of metric results aggregated up to this batch.
        """
        self.on_batch_end(batch, logs=logs)

    @_default
    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called at the start of a batch in `evaluate` (and validation)."""

    @_default
    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called at the end of a batch in `evaluate` (and validation)."""

    @_default
    def on_predict_batch_begin(
        self, batch: int, logs: dict | None = None
    ) -> None:
        """Called at the start of a batch in `predict`."""

    @_default
    def on_predict_batch_end(
        self, batch: int, logs: dict | None = None
    ) -> None:
        """Called at the end of a batch in `predict`."""

    @_default
    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `fit`."""

    @_default
    def on_train_end(self, logs: dict | None = None) -> None:
        """Called at the end of `fit`; `logs` are the last epoch's logs."""

    @_default
    def on_test_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `evaluate` or of a validation run."""

    @_default
    def on_test_end(self, logs: dict | None = None) -> None:
        """Called at the end of `evaluate` or of a validation run."""

    @_default
    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `predict`."""

    @_default
    def on_predict_end(self, logs: dict | None = None) -> None:
        """Called at the end of `predict`."""


def _is_ddp(model: Any) -> bool:
    from torch.nn.parallel import DistributedDataParallel

    return isinstance(model, DistributedDataParallel)
