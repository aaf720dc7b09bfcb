"""The prelude shared by `fit` (`epoch_loops.py`), `evaluate` and `predict`
(`inference_loops.py`): the device, the `RunHooks` of the call, the data
adapter, the callback list, and the debugging caps of `lamina.config`."""

from __future__ import annotations

import warnings
from typing import Any

import torch

from lamina import config
from lamina.trainers.data_adapters import get_data_adapter
from lamina.trainers.run_hooks import RunHooks
from lamina.trainers.run_hooks import run_for


def prepare_device(model: Any) -> torch.device:
    """The model's device; a CPU model moves to the default accelerator
    (when there is one) the first time it trains or predicts."""
    from lamina.runtime.device import default_device

    first = next(model.parameters(), None)
    device = first.device if first is not None else torch.device("cpu")
    target = default_device()
    if (
        device.type == "cpu"
        and target.type != "cpu"
        and not getattr(model, "_device_pinned", False)
    ):
        model.to(target)
        model._step_cache = None
        device = target
    return device


def verbose_level(verbose: Any) -> int:
    """`verbose` as the number the callbacks read ("auto" is 1)."""
    return 1 if verbose == "auto" else int(verbose)


def callback_list(
    model: Any, callbacks: Any, verbose: int, epochs: int, steps: Any
) -> Any:
    """The `CallbackList` of one call (with `History`, and the progress
    bar unless `verbose=0`), or `callbacks` when it already is one."""
    from lamina.callbacks import CallbackList

    if isinstance(callbacks, CallbackList):
        return callbacks
    return CallbackList(
        callbacks,
        add_history=True,
        add_progbar=verbose != 0,
        model=model,
        verbose=verbose,
        epochs=epochs,
        steps=steps,
    )


def start(model: Any) -> tuple[torch.device, RunHooks]:
    """The prelude of every entry point: the device the model runs on and
    the hooks of this call (one process, or one rank of several)."""
    return prepare_device(model), run_for(model)


def data_for(
    run: RunHooks,
    device: Any,
    where: str,
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    **options: Any,
) -> Any:
    """The adapter for `x` (and `y`, `sample_weight`), as this process's
    part of each batch."""
    adapter = get_data_adapter(x, y, sample_weight, device=device, **options)
    return run.shard(adapter, where)


def debug_caps(epochs: int, steps: int | None) -> tuple[int, int | None]:
    """`config.set_max_epochs` / `set_max_steps_per_epoch` (debugging
    caps, as in Keras): the smaller of the cap and the request."""
    cap = config.max_epochs()
    if cap and cap < epochs:
        warnings.warn(f"Limiting epochs to {cap}", stacklevel=4)
        epochs = cap
    cap = config.max_steps_per_epoch()
    if cap and (not steps or cap < steps):
        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=4)
        steps = cap
    return epochs, steps


__all__ = [
    "callback_list",
    "data_for",
    "debug_caps",
    "prepare_device",
    "start",
    "verbose_level",
]
