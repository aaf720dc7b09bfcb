"""The loops behind `fit`, `evaluate` and `predict`.

Each is a short function over named helpers. Logs stay tensors on the
device; the callback list converts them to floats only when some callback
needs them (epoch ends, the progress bar at `verbose=1`).
"""

from __future__ import annotations

import itertools
import math
import warnings
from typing import Any

import numpy as np
import torch

from lamina.callbacks.logs import flatten_logs
from lamina.distribute.data_parallel import loop_for
from lamina.errors import LaminaWarning
from lamina.trainers import denormals
from lamina.trainers import interrupts
from lamina.trainers.data_adapters import get_data_adapter
from lamina.trainers.data_adapters import unpack_x_y_sample_weight
from lamina.trainers.data_adapters.epoch_iterator import StepsPerEpoch
from lamina.trainers.data_adapters.array_data_adapter import (
    train_validation_split,
)
from lamina.utils import tree


def prepare_device(model) -> torch.device:
    """The model's device; a CPU model moves to the default accelerator
    (when there is one) the first time it trains or predicts."""
    from lamina.trainers.trainer import default_device

    params = list(model.parameters())
    device = params[0].device if params else torch.device("cpu")
    target = default_device()
    if device.type == "cpu" and target.type != "cpu" and not getattr(
        model, "_device_pinned", False
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
    return CallbackList(callbacks, add_history=True,
                        add_progbar=verbose != 0, model=model,
                        verbose=verbose, epochs=epochs, steps=steps)


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
    train, val = train_validation_split((x, y, sample_weight),
                                        validation_split)
    return train, val


def _is_arrays(x) -> bool:
    return all(isinstance(t, (np.ndarray, torch.Tensor, list))
               for t in tree.flatten(x))


def fit(model, x, y, batch_size, epochs, verbose, callbacks,
        validation_split, validation_data, shuffle, class_weight,
        sample_weight, initial_epoch, steps_per_epoch, validation_steps,
        validation_batch_size, validation_freq):
    device = prepare_device(model)
    # Several processes (torchrun, lamina.distribute): per-call hooks;
    # None as one process, and then nothing below changes.
    dist = loop_for(model)
    verbose = _verbose(verbose)
    if validation_split and validation_data is None:
        (x, y, sample_weight), validation_data = _split_validation(
            x, y, sample_weight, validation_split)
    data = get_data_adapter(x, y, sample_weight, batch_size=batch_size,
                            shuffle=shuffle, device=device,
                            class_weight=class_weight)
    if dist is not None:
        data = dist.shard(data, "fit")
    steps = steps_per_epoch or data.num_batches
    val_data = None
    if validation_data is not None:
        vx, vy, vsw = unpack_x_y_sample_weight(validation_data)
        val_data = get_data_adapter(
            vx, vy, vsw, batch_size=validation_batch_size or batch_size,
            device=device)
        if dist is not None:
            val_data = dist.shard(val_data, "fit (validation_data)")
    cbs = _callbacks(model, callbacks, verbose, epochs, steps)
    if dist is not None:
        cbs = dist.callbacks(cbs)
    model.stop_training = False
    model._step_cache = None
    was_training = model.training
    _build_from_first_batch(model, data)
    cbs.on_train_begin()
    # A backup restored in `on_train_begin` (BackupAndRestore) says where
    # to go on from; read once, so that a later `fit` starts afresh.
    resume = model.__dict__.pop("_fit_resume", None)
    if resume is not None:
        initial_epoch = resume.epoch
    try:
        with interrupts.sigint_guard(), denormals.flush_denormals(device):
            _run_epochs(model, data, val_data, cbs, range(initial_epoch,
                        epochs), steps_per_epoch, validation_steps,
                        validation_freq, dist, resume)
        if hasattr(model.optimizer, "finalize_variable_values"):
            model.optimizer.finalize_variable_values(
                model._trainable_params())
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


def _run_epochs(model, data, val_data, cbs, epochs, steps_per_epoch,
                validation_steps, validation_freq, dist=None,
                resume=None) -> None:
    warned = False
    if steps_per_epoch is not None:
        data = StepsPerEpoch(data, steps_per_epoch)
    for epoch in epochs:
        model.train()
        logs = _train_epoch(model, data, cbs, epoch, steps_per_epoch, dist,
                            first_epoch=epoch == epochs[0], resume=resume)
        resume = None  # Only the first epoch resumes mid-way.
        if logs is None:  # the data ran out
            break
        if val_data is not None and _due(epoch, validation_freq):
            val_logs = _evaluate_data(model, val_data, cbs,
                                      validation_steps, hooks=False,
                                      dist=dist)
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
        "at the first such batch.", LaminaWarning, stacklevel=4)
    return True


def _due(epoch: int, freq) -> bool:
    if isinstance(freq, int):
        return (epoch + 1) % freq == 0
    return (epoch + 1) in freq


def _ran_out(model, first_epoch: bool) -> None:
    if first_epoch:
        raise ValueError(
            "The training data produced no batches. Check that `x` is not "
            "empty and that a generator is not already exhausted.")
    # Keras warns and stops; a generator is not restarted between epochs.
    warnings.warn(
        "Your input ran out of data; interrupting training. Make sure the "
        "data can produce `steps_per_epoch * epochs` batches (a generator "
        "is not restarted: pass arrays or a `PyDataset` to iterate it "
        "again each epoch).", UserWarning, stacklevel=5)
    model.stop_training = True
    return None


def _train_epoch(model, data, cbs, epoch, steps_per_epoch, dist=None,
                 first_epoch=True, resume=None) -> dict | None:
    model.reset_metrics()
    cbs.on_epoch_begin(epoch)
    batch_logs = cbs.needs_batch_logs
    train_step = model.make_train_function()
    metric_results = model.get_metrics_result
    if dist is not None:  # Sample-weighted gradients, global logs.
        train_step = dist.train_step(train_step)
        metric_results = dist.metric_results
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
        return _ran_out(model, first_epoch)
    if dist is not None:  # Moving statistics averaged across ranks.
        dist.end_train_epoch()
    return dict(logs or metric_results())


def _evaluate_data(model, data, cbs, steps, hooks=True, dist=None) -> dict:
    model.reset_metrics()
    was = model.training
    model.eval()
    batch_logs = hooks and cbs.needs_batch_logs
    test_step = model.make_test_function()
    metric_results = model.get_metrics_result
    if dist is not None:  # Global logs.
        test_step = dist.test_step(test_step)
        metric_results = dist.metric_results
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
                    cbs.on_test_batch_end(step, logs or metric_results())
    finally:
        model.train(was)
    return dict(logs or metric_results())


def evaluate(model, x, y, batch_size, verbose, sample_weight, steps,
             callbacks, internal_callbacks=None) -> dict:
    device = prepare_device(model)
    dist = loop_for(model)
    data = get_data_adapter(x, y, sample_weight, batch_size=batch_size,
                            device=device)
    if dist is not None:
        data = dist.shard(data, "evaluate")
    verbose = _verbose(verbose)
    cbs = internal_callbacks or _callbacks(
        model, callbacks, verbose, 1, steps or data.num_batches)
    if dist is not None:
        cbs = dist.callbacks(cbs)
    cbs.on_test_begin()
    logs = _evaluate_data(model, data, cbs, steps, dist=dist)
    # As Keras: a custom `test_step` may return the compiled metrics as
    # one nested dict; keys come out flat and sorted.
    logs = {k: float(v) for k, v in flatten_logs(logs).items()}
    cbs.on_test_end(logs)
    return logs


def predict(model, x, batch_size, verbose, steps, callbacks):
    device = prepare_device(model)
    dist = loop_for(model)
    data = get_data_adapter(x, None, None, batch_size=batch_size,
                            device=device)
    if dist is not None:
        data = dist.shard(data, "predict")
    verbose = _verbose(verbose)
    cbs = _callbacks(model, callbacks, verbose, 1,
                     steps or data.num_batches)
    if dist is not None:
        cbs = dist.callbacks(cbs)
    cbs.on_predict_begin()
    outputs = []
    predict_step = model.make_predict_function()
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
    if dist is not None:  # Every rank's rows, in order, on every rank.
        return dist.gather(outputs)
    return _concat(outputs)


def _concat(outputs: list) -> Any:
    flat = [tree.flatten(o) for o in outputs]
    merged = [torch.cat([f[i] for f in flat]).cpu().numpy()
              for i in range(len(flat[0]))]
    return tree.pack_sequence_as(outputs[0], merged)


def on_batch(model, kind, x, y, sample_weight, class_weight, return_dict):
    device = prepare_device(model)
    dist = loop_for(model)
    data = get_data_adapter(x, y, sample_weight, batch_size=2**31,
                            device=device, class_weight=class_weight)
    train_step, test_step = model.train_step, model.test_step
    metric_results = model.get_metrics_result
    if dist is not None:  # This rank's part of the batch; global logs.
        data = dist.shard(data, f"{kind}_on_batch")
        train_step = dist.train_step(train_step)
        test_step = dist.test_step(test_step)
        metric_results = dist.metric_results
    model.reset_metrics()
    batch = next(iter(data))
    if kind == "train":
        was = model.training
        model.train()
        try:
            logs = train_step(batch)
        finally:
            model.train(was)
    else:
        with torch.no_grad():
            logs = test_step(batch)
    logs = {k: float(v) for k, v in (logs or metric_results()).items()}
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
