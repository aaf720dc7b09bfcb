"""`DataParallel` and the active distribution (`set_distribution`,
`distribution`), in the spirit of `keras.distribution`.

A script launched with `torchrun --nproc_per_node=N` needs neither: when
`WORLD_SIZE` > 1 (or the user started a process group of more than one
rank), `distribution()` returns a default `DataParallel()` and `fit`,
`evaluate` and `predict` run data-parallel. Set one explicitly to choose
the timeout, the backend or sharded weights; `set_distribution(None)`
turns distribution off even under `torchrun`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import weakref
from typing import Any

import torch

from lamina.runtime import environment
from lamina.distribute import model_sync
from lamina.distribute.gradient_sync import BUCKET_BYTES
from lamina.distribute.gradient_sync import GradientSync
from lamina.trainers import run_hooks


class DataParallel:
    """Data parallelism: one model replica per process, each on its part
    of every batch, gradients averaged across processes.

    The processes are those of the default `torch.distributed` process
    group, started from the `torchrun` environment on first use when the
    user has not started it. `batch_size` in `fit`/`evaluate`/`predict` is
    the global batch; each rank takes a disjoint part of it.

    Args:
        timeout: seconds any rank waits for the others (rendezvous and
            every collective) before failing. Defaults to
            `$LAMINA_DIST_TIMEOUT`, else 600.
        backend: `"nccl"`, `"gloo"` or `None` (NCCL on CUDA, else gloo).
        bucket_cap_mb: size of one gradient all-reduce message, in MiB.
        fsdp: shard weights, gradients and optimizer state across ranks
            (torch's `fully_shard`), for models too large for one device.

    Example:

    >>> import lamina
    >>> strategy = lamina.distribute.DataParallel(timeout=120)
    >>> strategy.timeout
    120.0
    """

    def __init__(
        self,
        timeout: float | None = None,
        backend: str | None = None,
        bucket_cap_mb: float = BUCKET_BYTES / 2**20,
        fsdp: bool = False,
    ) -> None:
        self.timeout = environment.timeout_seconds(timeout)
        if backend not in (None, "nccl", "gloo"):
            raise ValueError(
                "Invalid value for argument `backend` of DataParallel: "
                "expected 'nccl', 'gloo' or None. Received: "
                f"backend={backend!r}"
            )
        if not bucket_cap_mb > 0:
            raise ValueError(
                "Invalid value for argument `bucket_cap_mb` of DataParallel:"
                f" expected a positive number. Received: {bucket_cap_mb!r}"
            )
        self.backend = backend
        self.bucket_bytes = int(bucket_cap_mb * 2**20)
        self.fsdp = bool(fsdp)
        self._models: Any = weakref.WeakKeyDictionary()

    @property
    def rank(self) -> int:
        return environment.rank()

    @property
    def world_size(self) -> int:
        return environment.world_size()

    @property
    def is_chief(self) -> bool:
        return environment.is_chief()

    def initialize(self) -> None:
        """Start the process group if it is not running yet."""
        environment.init_process_group(self.backend, self.timeout)

    def loop(self, model: Any) -> Any:
        """The hooks for one `fit`/`evaluate`/`predict` call on `model`."""
        from lamina.distribute.loop import DistributedLoop

        self.initialize()
        return DistributedLoop(self, model)

    def prepare(self, model: Any, batch: Any = None) -> Any:
        """Make `model` ready to train here: the same on every rank (a
        checked signature, rank 0's weights) and its gradients averaged.

        Returns the gradient hook, or `None` while `model` has no weights
        yet and no `batch` to build it on.
        """
        if next(iter(model.parameters()), None) is None:
            if batch is None:
                return None
            _build(model, batch)
        model_sync.check_same_model(model)
        entry = self._models.get(model)
        if entry is not None and entry[0] == _key(model):
            return entry[1]
        if entry is None:
            model_sync.broadcast_state(model)
        else:  # The trainable weights changed (`layer.trainable = ...`).
            entry[1].remove()
        if self.fsdp:
            from lamina.distribute import fsdp

            sync = fsdp.shard_model(model)
        else:
            sync = GradientSync(model._trainable_params(), self.bucket_bytes)
        self._models[model] = (_key(model), sync)
        return sync

    def release(self) -> None:
        """Remove the gradient hooks from every prepared model."""
        for _, sync in list(self._models.values()):
            sync.remove()
        self._models = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return (
            f"<DataParallel timeout={self.timeout:g}s backend="
            f"{self.backend or 'auto'} fsdp={self.fsdp}>"
        )


def _key(model) -> tuple:
    """Identifies the set of trainable weights the hooks were put on."""
    return tuple(map(id, model._trainable_params()))


@torch.no_grad()
def _build(model, batch: Any) -> None:
    # The model builds its layers on the first call; a forward pass in
    # inference mode creates the weights without updating any state.
    x = batch[0] if isinstance(batch, tuple) else batch
    was = model.training
    model.eval()
    try:
        model(x, training=False)
    finally:
        model.train(was)
    model._step_cache = None


_STATE: dict = {"explicit": False, "value": None, "auto": None}


def set_distribution(value: DataParallel | None) -> None:
    """Make `value` the distribution `fit`/`evaluate`/`predict` use.

    `None` turns distribution off (one process, even under `torchrun`).

    Example:

    >>> import lamina
    >>> lamina.distribute.set_distribution(None)
    >>> lamina.distribute.distribution() is None
    True
    """
    if value is not None and not _is_distribution(value):
        raise TypeError(
            "set_distribution expects a lamina.distribute.DataParallel, a "
            "lamina.distribution.Distribution (DataParallel, ModelParallel) "
            f"or None. Received: {type(value).__name__}"
        )
    old = _STATE["value"] or _STATE["auto"]
    if old is not None and old is not value:
        old.release()
    _STATE.update(explicit=True, value=value, auto=None)


def _is_distribution(value) -> bool:
    if isinstance(value, DataParallel):
        return True
    from lamina.distribution.base_distribution import Distribution

    return isinstance(value, Distribution)


def distribution() -> DataParallel | None:
    """The active distribution: the one set with `set_distribution`, else
    a default `DataParallel()` when this process is one of several
    (`torchrun`), else `None`."""
    if _STATE["explicit"]:
        return _STATE["value"]
    if not environment.launched():
        return None
    if _STATE["auto"] is None:
        _STATE["auto"] = DataParallel()
    return _STATE["auto"]


@contextlib.contextmanager
def distribution_scope(value: Any) -> Iterator[None]:
    """`value` is the active distribution inside the block; the state
    before it (an explicit choice, or none: torchrun's default) after."""
    saved = dict(_STATE)
    set_distribution(value)
    try:
        yield
    finally:
        set_distribution(saved["value"])
        _STATE.update(saved)


def loop_for(model: Any) -> Any:
    """The distributed hooks for one call on `model`, or `None` when
    running as one process (then the loops run as they always do)."""
    strategy = distribution()
    return None if strategy is None else strategy.loop(model)


run_hooks.set_provider(loop_for)

__all__ = ["DataParallel", "distribution", "loop_for", "set_distribution"]
