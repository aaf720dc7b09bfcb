"""The loops behind `fit`, `evaluate` and `predict`, written once.

Every entry point starts with the same prelude (`_start`: the device, and
the `RunHooks` of this call), builds its data with `_data`, and asks the
hooks for whatever a run on one process of several does differently
(`run_hooks.py`); there is no second, distributed copy of any loop.
Validation inside `fit` is `evaluate`'s loop with its `on_test_*` hooks,
as in Keras. Logs stay tensors on the device; the callback list converts
them to floats only when some callback needs them (epoch ends, the
progress bar at `verbose=1`).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings
from typing import Any

import numpy as np
import torch

from lamina import config
from lamina.callbacks.logs import flatten_logs
from lamina.errors import LaminaWarning
from lamina.trainers import denormals
from lamina.trainers import interrupts
from lamina.trainers.data_adapters import get_data_adapter
from lamina.trainers.data_adapters import unpack_x_y_sample_weight
from lamina.trainers.data_adapters.epoch_iterator import StepsPerEpoch
from lamina.trainers.data_adapters.array_data_adapter import (
    train_validation_split,
)
from lamina.trainers.run_hooks import RunHooks
from lamina.trainers.run_hooks import run_for
from lamina.utils import tree


@dataclasses.dataclass(frozen=True)
class FitArguments:
    """The arguments of one `fit` call, as Keras 3's `Model.fit` names
    them; frozen, so no helper changes what the caller asked for."""

    x: Any = None
    y: Any = None
    batch_size: int | None = None
    epochs: int = 1
    verbose: Any = "auto"
    callbacks: Any = None
    validation_split: float = 0.0
    validation_data: Any = None
    shuffle: Any = True
    class_weight: dict | None = None
    sample_weight: Any = None
    initial_epoch: int = 0
    steps_per_epoch: int | None = None
    validation_steps: int | None = None
    validation_batch_size: int | None = None
    validation_freq: Any = 1


def prepare_device(model) -> torch.device:
    """The model's device; a CPU model moves to the default accelerator
    (when there is one) the first time it trains or predicts."""
    from lamina.runtime.device import default_device

    params = list(model.parameters())
    device = params[0].device if params else torch.device("cpu")
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


def _verbose(verbose) -> int:
    return 1 if verbose == "auto" else int(verbose)


def _callbacks(model, callbacks, verbose, epochs, steps):
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


def _split_validation(x, y, sample_weight, validation_split):
    if not 0.0 < validation_split < 1.0:
        raise ValueError(
            "`validation_split` must be a float in the open interval (0, 1)."
            f" Received: validation_split={validation_split}"
        )
    if not _is_arrays(x):
        raise ValueError(
            "`validation_split` is only supported for NumPy arrays and "
            f"tensors; received x of type {type(x).__name__}. Pass "
            "`validation_data` instead."
        )
    train, val = train_validation_split((x, y, sample_weight), validation_split)
    return train, val


def _is_arrays(x) -> bool:
    return all(
        isinstance(t, (np.ndarray, torch.Tensor, list)) for t in tree.flatten(x)
    )


def _start(model) -> tuple[torch.device, RunHooks]:
    """The prelude of every entry point: the device the model runs on and
    the hooks of this call (one process, or one rank of several)."""
    return prepare_device(model), run_for(model)


def _data(
    run: RunHooks, device, where: str, x, y=None, sample_weight=None, **options
):
    """The adapter for `x` (and `y`, `sample_weight`), as this process's
    part of each batch."""
    adapter = get_data_adapter(x, y, sample_weight, device=device, **options)
    return run.shard(adapter, where)


def fit(model, args: FitArguments):
    epochs, steps_per_epoch = _debug_caps(args.epochs, args.steps_per_epoch)
    args = dataclasses.replace(
        args, epochs=epochs, steps_per_epoch=steps_per_epoch
    )
    device, run = _start(model)
    verbose = _verbose(args.verbose)
    (x, y, sample_weight), validation_data = _validation_data(args)
    data = _data(
        run,
        device,
        "fit",
        x,
        y,
        sample_weight,
        batch_size=args.batch_size,
        shuffle=args.shuffle,
        class_weight=args.class_weight,
    )
    val_data = None
    if validation_data is not None:
        vx, vy, vsw = unpack_x_y_sample_weight(validation_data)
        val_data = _data(
            run,
            device,
            "fit (validation_data)",
            vx,
            vy,
            vsw,
            batch_size=args.validation_batch_size or args.batch_size,
        )
    cbs = run.callbacks(
        _callbacks(
            model,
            args.callbacks,
            verbose,
            args.epochs,
            args.steps_per_epoch or data.num_batches,
        )
    )
    model.stop_training = False
    model._step_cache = None
    was_training = model.training
    _build_from_first_batch(model, data)
    cbs.on_train_begin()
    # A backup restored in `on_train_begin` (BackupAndRestore) says where
    # to go on from; read once, so that a later `fit` starts afresh.
    resume = model.__dict__.pop("_fit_resume", None)
    initial_epoch = args.initial_epoch if resume is None else resume.epoch
    try:
        with interrupts.sigint_guard(), denormals.flush_denormals(device):
            _run_epochs(
                model,
                run,
                data,
                val_data,
                cbs,
                range(initial_epoch, args.epochs),
                args,
                resume,
            )
        if hasattr(model.optimizer, "finalize_variable_values"):
            model.optimizer.finalize_variable_values(model._trainable_params())
    finally:
        model.train(was_training)
    cbs.on_train_end(logs=None)
    return model.history


def _debug_caps(epochs, steps):
    """`config.set_max_epochs` / `set_max_steps_per_epoch` (debugging
    caps, as in Keras): the smaller of the cap and the request."""
    cap = config.max_epochs()
    if cap and cap < epochs:
        warnings.warn(f"Limiting epochs to {cap}", stacklevel=3)
        epochs = cap
    cap = config.max_steps_per_epoch()
    if cap and (not steps or cap < steps):
        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=3)
        steps = cap
    return epochs, steps


def _validation_data(args: FitArguments) -> tuple:
    """`((x, y, sample_weight), validation_data)`, split off the arrays
    when `validation_split` asks for it."""
    arrays = (args.x, args.y, args.sample_weight)
    if args.validation_split and args.validation_data is None:
        return _split_validation(*arrays, args.validation_split)
    return arrays, args.validation_data


def _build_from_first_batch(model, data) -> None:
    """As Keras does, build an unbuilt model before any callback runs (a
    callback's `on_train_begin` may read or restore the weights): from the
    first batch's shapes, by a shape-only trace (no step, no state
    change). Data that cannot be peeked at (a generator) builds on the
    first step instead."""
    peek = getattr(data, "first_batch", None)
    if model.built or peek is None:
        return
    x, _, _ = unpack_x_y_sample_weight(peek())
    model._maybe_build((x,), {})


def _run_epochs(
    model,
    run: RunHooks,
    data,
    val_data,
    cbs,
    epochs,
    args: FitArguments,
    resume=None,
) -> None:
    warned = False
    if args.steps_per_epoch is not None:
        data = StepsPerEpoch(data, args.steps_per_epoch)
    for epoch in epochs:
        model.train()
        logs = _train_epoch(
            model,
            run,
            data,
            cbs,
            epoch,
            args.steps_per_epoch,
            first_epoch=epoch == epochs[0],
            resume=resume,
        )
        resume = None  # Only the first epoch resumes mid-way.
        if logs is None:  # the data ran out
            break
        if val_data is not None and _due(epoch, args.validation_freq):
            val_logs = _evaluation(
                model, run, val_data, cbs, args.validation_steps
            )
            logs.update({"val_" + k: v for k, v in val_logs.items()})
        cbs.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
        if not warned:
            warned = _warn_if_nan_loss(model, epoch)


def _warn_if_nan_loss(model, epoch: int) -> bool:
    """Warn once per `fit` when an epoch's loss is NaN or inf (read from
    `History`, already on the host: no extra sync)."""
    history = getattr(model, "history", None)
    losses = getattr(history, "history", {}).get("loss") or [0.0]
    if math.isfinite(losses[-1]):
        return False
    warnings.warn(
        f"Epoch {epoch + 1}: the training loss is {losses[-1]}, so the "
        "weights are no longer finite numbers. Lower the learning rate, "
        "check the data for NaN/inf values, use `clipnorm` on the "
        "optimizer, or pass `lamina.callbacks.TerminateOnNaN()` to stop "
        "at the first such batch.",
        LaminaWarning,
        stacklevel=4,
    )
    return True


def _due(epoch: int, freq) -> bool:
    if isinstance(freq, int):
        return (epoch + 1) % freq == 0
    return (epoch + 1) in freq


def _ran_out(model, first_epoch: bool) -> None:
    if first_epoch:
        raise ValueError(
            "The training data produced no batches. Check that `x` is not "
            "empty and that a generator is not already exhausted."
        )
    # Keras warns and stops; a generator is not restarted between epochs.
    warnings.warn(
        "Your input ran out of data; interrupting training. Make sure the "
        "data can produce `steps_per_epoch * epochs` batches (a generator "
        "is not restarted: pass arrays or a `PyDataset` to iterate it "
        "again each epoch).",
        UserWarning,
        stacklevel=5,
    )
    model.stop_training = True


def _train_epoch(
    model,
    run: RunHooks,
    data,
    cbs,
    epoch,
    steps_per_epoch,
    first_epoch=True,
    resume=None,
) -> dict | None:
    model.reset_metrics()
    cbs.on_epoch_begin(epoch)
    batch_logs = cbs.needs_batch_logs
    train_step = run.train_step(model.make_train_function())
    metric_results = run.metric_results
    step, logs = 0, {}
    batches = iter(data)
    if resume is not None and resume.step:
        # Resuming a backup taken mid-epoch: the random state is the one
        # this epoch began with, so `data` repeats its order; skip the
        # batches trained on before the backup, then let the callback put
        # back the random state of the moment of the backup.
        step = sum(1 for _ in itertools.islice(batches, resume.step))
        resume.on_skipped()
    for batch in batches:
        if steps_per_epoch is not None and step >= steps_per_epoch:
            break
        if batch_logs:
            cbs.on_train_batch_begin(step)
        logs = train_step(batch)
        if batch_logs:
            cbs.on_train_batch_end(step, logs or metric_results())
        step += 1
        if model.stop_training:
            break
    if hasattr(data, "on_epoch_end"):
        data.on_epoch_end()
    if step == 0:
        _ran_out(model, first_epoch)
        return None
    run.end_train_epoch()
    return dict(logs or metric_results())


def _test_epoch(model, run: RunHooks, data, cbs, steps) -> dict:
    model.reset_metrics()
    was = model.training
    model.eval()
    batch_logs = cbs.needs_batch_logs
    test_step = run.test_step(model.make_test_function())
    logs = {}
    try:
        with torch.no_grad():
            for step, batch in enumerate(data):
                if steps is not None and step >= steps:
                    break
                if batch_logs:
                    cbs.on_test_batch_begin(step)
                logs = test_step(batch)
                if batch_logs:
                    cbs.on_test_batch_end(step, logs or run.metric_results())
    finally:
        model.train(was)
    return dict(logs or run.metric_results())


def _evaluation(model, run: RunHooks, data, cbs, steps) -> dict:
    """`evaluate`'s loop between its `on_test_begin` and `on_test_end`
    hooks (also `fit`'s validation, as in Keras)."""
    cbs.on_test_begin()
    logs = _test_epoch(model, run, data, cbs, steps)
    # As Keras: a custom `test_step` may return the compiled metrics as
    # one nested dict; keys come out flat and sorted.
    logs = {
        k: float(torch.as_tensor(v).detach())
        for k, v in flatten_logs(logs).items()
    }
    cbs.on_test_end(logs)
    return logs


def evaluate(
    model,
    x,
    y,
    batch_size,
    verbose,
    sample_weight,
    steps,
    callbacks,
    internal_callbacks=None,
) -> dict:
    _, steps = _debug_caps(1, steps)
    device, run = _start(model)
    data = _data(
        run, device, "evaluate", x, y, sample_weight, batch_size=batch_size
    )
    cbs = run.callbacks(
        internal_callbacks
        or _callbacks(
            model, callbacks, _verbose(verbose), 1, steps or data.num_batches
        )
    )
    return _evaluation(model, run, data, cbs, steps)


def predict(model, x, batch_size, verbose, steps, callbacks):
    _, steps = _debug_caps(1, steps)
    device, run = _start(model)
    data = _data(run, device, "predict", x, batch_size=batch_size)
    cbs = run.callbacks(
        _callbacks(
            model, callbacks, _verbose(verbose), 1, steps or data.num_batches
        )
    )
    cbs.on_predict_begin()
    outputs = []
    predict_step = run.predict_step(model.make_predict_function())
    was = model.training
    model.eval()
    try:
        with torch.no_grad():
            for step, batch in enumerate(data):
                if steps is not None and step >= steps:
                    break
                cbs.on_predict_batch_begin(step)
                out = predict_step(batch)
                outputs.append(out)
                cbs.on_predict_batch_end(step, {"outputs": out})
    finally:
        model.train(was)
    cbs.on_predict_end()
    if not outputs:
        raise ValueError("`predict` received no batches: `x` is empty.")
    return run.gather(outputs)


def on_batch(model, kind, x, y, sample_weight, class_weight, return_dict):
    device, run = _start(model)
    data = _data(
        run,
        device,
        f"{kind}_on_batch",
        x,
        y,
        sample_weight,
        batch_size=2**31,
        class_weight=class_weight,
    )
    model.reset_metrics()
    batch = next(iter(data))
    if kind == "train":
        was = model.training
        model.train()
        try:
            logs = run.train_step(model.train_step)(batch)
        finally:
            model.train(was)
    else:
        with torch.no_grad():
            logs = run.test_step(model.test_step)(batch)
    logs = {k: float(v) for k, v in (logs or run.metric_results()).items()}
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
