"""The loop behind `fit`.

It starts with the prelude every entry point shares (`loop_setup.py`: the
device, the `RunHooks` of this call, the data), and asks the hooks for
whatever a run on one process of several does differently
(`run_hooks.py`); there is no second, distributed copy of any loop.
Validation inside `fit` is `evaluate`'s loop (`inference_loops.py`) with
its `on_test_*` hooks, as in Keras. Logs stay tensors on the device; the
callback list converts them to floats only when some callback needs them
(epoch ends, the progress bar at `verbose=1`). Steps are grouped by
`compile(steps_per_execution=N)` as `executions.py` describes.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings
from typing import Any

from lamina.errors import LaminaWarning
from lamina.trainers import denormals
from lamina.trainers import interrupts
from lamina.trainers import loop_setup
from lamina.trainers.data_adapters import unpack_x_y_sample_weight
from lamina.trainers.data_adapters.epoch_iterator import StepsPerEpoch
from lamina.trainers.executions import executions
from lamina.trainers.fit_data import FitArguments
from lamina.trainers.fit_data import fit_data
from lamina.trainers.executions import padded_steps
from lamina.trainers.executions import steps_per_execution
from lamina.trainers.inference_loops import evaluation
from lamina.trainers.run_hooks import RunHooks


def fit(model: Any, args: FitArguments) -> Any:
    """`Model.fit`'s loop; returns the `History`."""
    epochs, steps_per_epoch = loop_setup.debug_caps(
        args.epochs, args.steps_per_epoch
    )
    args = dataclasses.replace(
        args, epochs=epochs, steps_per_epoch=steps_per_epoch
    )
    device, run = loop_setup.start(model)
    data, val_data = fit_data(run, device, args)
    cbs = run.callbacks(
        loop_setup.callback_list(
            model,
            args.callbacks,
            loop_setup.verbose_level(args.verbose),
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
        # Executions run whole, as in Keras (`executions.py`).
        size = steps_per_execution(model)
        data = StepsPerEpoch(data, padded_steps(args.steps_per_epoch, size))
    for epoch in epochs:
        model.train()
        logs = _train_epoch(
            model,
            run,
            data,
            cbs,
            epoch,
            first_epoch=epoch == epochs[0],
            resume=resume,
        )
        resume = None  # Only the first epoch resumes mid-way.
        if logs is None:  # the data ran out
            break
        if val_data is not None and _due(epoch, args.validation_freq):
            val_logs = evaluation(
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
    model: Any,
    run: RunHooks,
    data: Any,
    cbs: Any,
    epoch: int,
    first_epoch: bool = True,
    resume: Any = None,
) -> dict | None:
    model.reset_metrics()
    cbs.on_epoch_begin(epoch)
    batch_logs = cbs.needs_batch_logs
    train_step = run.train_step(model.make_train_function())
    metric_results = run.metric_results
    batches, start = _resumed(data, resume)
    ran, logs = False, {}
    # `steps_per_epoch` is `data`'s to count (`StepsPerEpoch`); the
    # iterator must run out for that wrapper to see a pass end.
    for begin, end, chunk in executions(
        batches, steps_per_execution(model), None, start
    ):
        if batch_logs:
            cbs.on_train_batch_begin(begin)
        # The steps of one execution: nothing on the host between them.
        for batch in chunk:
            logs = train_step(batch)
        ran = True
        if batch_logs:
            cbs.on_train_batch_end(end, logs or metric_results())
        if model.stop_training:
            break
    if hasattr(data, "on_epoch_end"):
        data.on_epoch_end()
    if not ran and start == 0:
        _ran_out(model, first_epoch)
        return None
    run.end_train_epoch()
    return dict(logs or metric_results())


def _resumed(data: Any, resume: Any) -> tuple:
    """The batches of an epoch and the index of the first one: past the
    batches trained on before a backup taken mid-epoch.

    The random state is the one this epoch began with, so `data` repeats
    its order; the batches before the backup are skipped, then the
    callback puts back the random state of the moment of the backup."""
    batches = iter(data)
    if resume is None or not resume.step:
        return batches, 0
    skipped = sum(1 for _ in itertools.islice(batches, resume.step))
    resume.on_skipped()
    return batches, skipped
