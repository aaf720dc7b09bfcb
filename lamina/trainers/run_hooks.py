"""`RunHooks`: what one `fit` / `evaluate` / `predict` call may delegate.

The loops (`epoch_loops.py`, `inference_loops.py`) are written once.
The few things a run does differently on one process of several — which
part of each batch this process takes, which callbacks run here, how a
step is wrapped, how metric results are reduced, what happens at the end
of a training epoch, and how `predict`'s outputs are gathered — are asked
of a `RunHooks` object. This class is the one-process answer: every hook is the identity.
`lamina.distribute` provides the data-parallel one (`DistributedLoop`)
and registers it with `set_provider`; the trainers never import it.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

import torch

from lamina.runtime import environment
from lamina.utils import tree

# The function that returns a distributed run for a model, or None when
# this process trains alone (`lamina.distribute` sets it when imported).
_PROVIDER: list[Callable[[Any], "RunHooks | None"]] = []


class RunHooks:
    """One process's hooks for one call on `model` (all identities)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def shard(self, adapter: Any, where: str) -> Any:
        """The part of each batch of `adapter` this process runs."""
        return adapter

    def callbacks(self, cbs: Any) -> Any:
        """The callback list as this process runs it."""
        return cbs

    def train_step(self, step: Callable) -> Callable:
        return step

    def test_step(self, step: Callable) -> Callable:
        return step

    def predict_step(self, step: Callable) -> Callable:
        return step

    def metric_results(self) -> dict:
        """The logs of the steps so far."""
        return self.model.get_metrics_result()

    def end_train_epoch(self) -> None:
        """Called after the last step of each training epoch."""

    def gather(self, outputs: list) -> Any:
        """`predict`'s batches of outputs as one result (NumPy)."""
        return concat_outputs(outputs)


def concat_outputs(outputs: list) -> Any:
    """Batches of (nested) tensors joined along the batch axis, as NumPy."""
    flat = [tree.flatten(o) for o in outputs]
    merged = [
        torch.cat([f[i] for f in flat]).cpu().numpy()
        for i in range(len(flat[0]))
    ]
    return tree.pack_sequence_as(outputs[0], merged)


def set_provider(provider: Callable[[Any], "RunHooks | None"]) -> None:
    """Make `provider(model)` the source of distributed runs."""
    _PROVIDER[:] = [provider]


def run_for(model: Any) -> RunHooks:
    """The hooks for one call on `model`: distributed ones when a
    distribution is active, else the one-process identities."""
    if not _PROVIDER and environment.launched():
        # Under torchrun a script need not mention lamina.distribute;
        # importing it registers the provider.
        importlib.import_module("lamina.distribute")
    run = _PROVIDER[0](model) if _PROVIDER else None
    return RunHooks(model) if run is None else run


__all__ = ["RunHooks", "concat_outputs", "run_for", "set_provider"]
