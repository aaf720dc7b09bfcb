"""The loops behind `evaluate`, `predict` and `*_on_batch`.

Each step is the plain forward pass (and the loss and metric updates for
`evaluate`); what sits around it is kept off the per-batch path, because
at inference a step is short and the loop's own work shows: batch hooks
are dispatched only when some callback overrides one (`needs_batch_logs`;
the progress bar at `verbose=1` does), logs stay tensors until the end,
and `predict` joins its outputs once. Steps run under `torch.no_grad`,
not `inference_mode`: a layer built or a cache filled during `predict`
must stay usable for training afterwards, which inference tensors are
not (measured on the bench MLP and Transformer: 0-4% less CPU time per
forward pass, within this machine's run-to-run noise).
`compile(steps_per_execution=N)` groups the steps as `executions.py`
describes.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.callbacks.logs import flatten_logs
from lamina.trainers import loop_setup, run_hooks
from lamina.trainers.executions import executions
from lamina.trainers.executions import steps_per_execution
from lamina.trainers.run_hooks import RunHooks
from lamina.utils import tree


def _test_epoch(
    model: Any, run: RunHooks, data: Any, cbs: Any, steps: int | None
) -> dict:
    model.reset_metrics()
    was = model.training
    model.eval()
    batch_logs = cbs.needs_batch_logs
    test_step = run.test_step(model.make_test_function())
    size = steps_per_execution(model)
    logs: Any = {}
    try:
        with torch.no_grad():
            for begin, end, chunk in executions(data, size, steps):
                if batch_logs:
                    cbs.on_test_batch_begin(begin)
                for batch in chunk:
                    logs = test_step(batch)
                if batch_logs:
                    cbs.on_test_batch_end(end, logs or run.metric_results())
    finally:
        model.train(was)
    return dict(logs or run.metric_results())


def evaluation(
    model: Any, run: RunHooks, data: Any, cbs: Any, steps: int | None
) -> dict:
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
    model: Any,
    x: Any,
    y: Any,
    batch_size: int | None,
    verbose: Any,
    sample_weight: Any,
    steps: int | None,
    callbacks: Any,
    internal_callbacks: Any = None,
) -> dict:
    """`Model.evaluate`'s loop; returns the logs as floats."""
    _, steps = loop_setup.debug_caps(1, steps)
    device, run = loop_setup.start(model)
    data = loop_setup.data_for(
        run, device, "evaluate", x, y, sample_weight, batch_size=batch_size
    )
    cbs = run.callbacks(
        internal_callbacks
        or loop_setup.callback_list(
            model,
            callbacks,
            loop_setup.verbose_level(verbose),
            1,
            steps or data.num_batches,
        )
    )
    return evaluation(model, run, data, cbs, steps)


def predict(
    model: Any,
    x: Any,
    batch_size: int | None,
    verbose: Any,
    steps: int | None,
    callbacks: Any,
) -> Any:
    """`Model.predict`'s loop; returns the outputs as NumPy arrays."""
    _, steps = loop_setup.debug_caps(1, steps)
    device, run = loop_setup.start(model)
    data = loop_setup.data_for(run, device, "predict", x, batch_size=batch_size)
    cbs = run.callbacks(
        loop_setup.callback_list(
            model,
            callbacks,
            loop_setup.verbose_level(verbose),
            1,
            steps or data.num_batches,
        )
    )
    cbs.on_predict_begin()
    outputs = _predict_batches(model, run, data, cbs, steps)
    cbs.on_predict_end()
    if not outputs:
        raise ValueError("`predict` received no batches: `x` is empty.")
    return run.gather(outputs)


def _predict_batches(
    model: Any, run: RunHooks, data: Any, cbs: Any, steps: Any
) -> list:
    """Every batch's outputs, in order (tensors, on the device)."""
    outputs: list = []
    batch_logs = cbs.needs_batch_logs
    predict_step = run.predict_step(model.make_predict_function())
    size = steps_per_execution(model)
    was = model.training
    model.eval()
    try:
        with torch.no_grad():
            for begin, end, chunk in executions(data, size, steps):
                if batch_logs:
                    cbs.on_predict_batch_begin(begin)
                first = len(outputs)
                outputs.extend(predict_step(batch) for batch in chunk)
                if batch_logs:
                    # As Keras: the outputs of the whole execution.
                    done = outputs[first:]
                    joined = done[0] if len(done) == 1 else _join(done)
                    cbs.on_predict_batch_end(end, {"outputs": joined})
    finally:
        model.train(was)
    return outputs


def _join(outputs: list) -> Any:
    """Batches of (nested) tensors joined along the batch axis."""
    flat = [tree.flatten(o) for o in outputs]
    merged = [torch.cat([f[i] for f in flat]) for i in range(len(flat[0]))]
    return tree.pack_sequence_as(outputs[0], merged)


def on_batch(
    model: Any,
    kind: str,
    x: Any,
    y: Any,
    sample_weight: Any,
    class_weight: Any,
    return_dict: bool,
) -> Any:
    """`train_on_batch` (`kind="train"`) and `test_on_batch`: one step on
    all of `x` as one batch, with fresh metrics."""
    device, run = loop_setup.start(model)
    data = loop_setup.data_for(
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


def as_list(model: Any, logs: dict) -> Any:
    """`evaluate`'s logs as Keras returns them without `return_dict`: a
    list in `model.metrics` order (the compiled container by its metrics'
    names), then the other keys sorted; one value alone."""
    from lamina.trainers.compile_utils import CompileMetrics

    names = []
    for metric in model.metrics:
        if isinstance(metric, CompileMetrics):
            # Keras's sub-metric names carry no output prefix, so with
            # several outputs they match no key and sort with the rest.
            if len(metric.output_names) <= 1:
                names += [m.name for m in metric.metrics]
        else:
            names.append(metric.name)
    names = [n for n in dict.fromkeys(names) if n in logs]
    order = names + sorted(k for k in logs if k not in names)
    values = [logs[name] for name in order]
    return values[0] if len(values) == 1 else values


def predict_on_batch(model: Any, x: Any) -> Any:
    """`Model.predict_on_batch`: `predict_step` on all of `x`, as NumPy."""
    from lamina.trainers.data_adapters.array_data_adapter import to_tensor

    device = loop_setup.prepare_device(model)
    was = model.training
    model.eval()
    try:
        with torch.no_grad():
            step = run_hooks.run_for(model).predict_step(model.predict_step)
            out = step((tree.map_structure(lambda a: to_tensor(a, device), x),))
    finally:
        model.train(was)
    return tree.map_structure(lambda t: t.detach().cpu().numpy(), out)


__all__ = [
    "as_list",
    "evaluate",
    "evaluation",
    "on_batch",
    "predict",
    "predict_on_batch",
]
