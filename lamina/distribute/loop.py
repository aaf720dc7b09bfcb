"""`DistributedLoop`: what `fit`, `evaluate` and `predict` do differently
on one rank of a data-parallel run.

The distributed implementation of `lamina.trainers.run_hooks.RunHooks`:
the epoch loops get one of these per call when a distribution is active
(`loop_for`, registered with the trainers when this package is imported)
and the one-process identities otherwise. It hands them:

- `shard(adapter)`: this rank's part of each global batch;
- `callbacks(cbs)`: rank-aware callbacks (`DistributedCallbackList`);
- `train_step(step)` / `test_step(step)`: the step, told how many samples
  this rank holds (to weight its gradient), and keeping any logs a custom
  step returns for `metric_results`;
- `metric_results()`: the global logs (metric states summed across ranks);
- `end_train_epoch()`: moving statistics averaged across ranks;
- `gather(outputs)`: `predict`'s full result, in order, on every rank.
"""

from __future__ import annotations

from typing import Any, Callable

import torch

from lamina.distribute import model_sync
from lamina.distribute import reduction
from lamina.trainers.data_adapters.sharded_iterables import SlicedBatches
from lamina.trainers.run_hooks import RunHooks
from lamina.utils import tree


def _rows(batch: Any) -> int:
    for t in tree.flatten(batch[0] if isinstance(batch, tuple) else batch):
        if isinstance(t, torch.Tensor) and t.ndim:
            return int(t.shape[0])
    return 1


class DistributedLoop(RunHooks):
    """One rank's hooks for one `fit` / `evaluate` / `predict` call.

    Args:
        strategy: the active `DataParallel`.
        model: the model being trained or run.
    """

    def __init__(self, strategy: Any, model: Any) -> None:
        super().__init__(model)
        self.strategy = strategy
        self.world = strategy.world_size
        self.rank = strategy.rank
        self.sync = strategy.prepare(model)
        self._custom_logs = None

    def shard(self, adapter: Any, where: str) -> Any:
        """This rank's part of each batch of `adapter`."""
        shard = getattr(adapter, "shard", None)
        if shard is None:  # Any iterable of batches: split each one.
            return SlicedBatches(adapter, self.world, self.rank, where)
        return shard(self.world, self.rank, where)

    def callbacks(self, cbs: Any) -> Any:
        from lamina.distribute.callback_list import DistributedCallbackList

        if isinstance(cbs, DistributedCallbackList):
            return cbs
        return DistributedCallbackList(cbs)

    def train_step(self, step: Callable) -> Callable:
        """`step`, preparing an unbuilt model on its first batch and
        weighting this rank's gradient by its number of samples."""

        def distributed_train_step(batch):
            if self.sync is None:
                self.sync = self.strategy.prepare(self.model, batch)
            if self.sync is not None:
                self.sync.local_weight = _rows(batch)
            return self._keep(step(batch))

        return distributed_train_step

    def test_step(self, step: Callable) -> Callable:
        def distributed_test_step(batch):
            return self._keep(step(batch))

        return distributed_test_step

    def _keep(self, logs: Any) -> dict:
        # Custom steps' logs are per-rank: keep them for `metric_results`,
        # which reduces them only when someone reads logs.
        self._custom_logs = logs or None
        return {}

    def metric_results(self) -> dict:
        """The logs of the steps so far, the same on every rank."""
        if self._custom_logs is not None:
            return reduction.global_logs(self.model, self._custom_logs)
        return reduction.global_metric_results(self.model)

    def end_train_epoch(self) -> None:
        model_sync.average_state(self.model)

    def gather(self, outputs: list) -> Any:
        return reduction.gather_outputs(outputs)


__all__ = ["DistributedLoop"]
