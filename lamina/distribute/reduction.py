"""Global logs and outputs from per-rank pieces.

- `global_metric_results`: metrics are reduced through their *state*, not
  their results. Each metric variable is combined across ranks as its
  `aggregation` says (`"sum"`: summed, the default for every lamina
  metric; `"mean"`: averaged; `"only_first_replica"` and `"none"`: rank
  0's), the metric's `result()` is computed from the combined state, and
  the local state is put back (the epoch goes on accumulating locally). So
  a `Mean` reports `sum(total) / sum(count)`, exactly the single-process
  value, not a mean of per-rank means.
- `global_logs`: logs that a custom `train_step` returned: a value that
  is the result of one of the model's metrics (compiled, or held as an
  attribute) gets that metric's result on the combined states; any other
  value is averaged across ranks.
- `gather_outputs`: `predict`'s per-rank pieces of each batch, put back in
  the original sample order, on every rank.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.distributed as dist

from lamina.runtime import collectives
from lamina.utils import tree


def _tracked_metrics(model) -> list:
    """The metrics of `model.metrics` (which lists the ones the model holds
    as attributes too), with the compiled ones out of their container: a
    custom step's log may be any of their results."""
    out = []
    for metric in model.metrics:
        for m in [metric, *(getattr(metric, "metrics", None) or ())]:
            if all(m is not o for o in out):
                out.append(m)
    return out


def _reduced_state(variables: list) -> torch.Tensor:
    flat = collectives.flatten(variables, dtype=torch.float64)
    if dist.get_rank() != 0:
        # Rank 0's value only: the others contribute zeros.
        offset = 0
        for v in variables:
            n = v.numel()
            if getattr(v, "aggregation", "sum") in (
                "only_first_replica",
                "none",
            ):
                flat[offset : offset + n] = 0
            offset += n
    flat = collectives.all_reduce(flat, "the cross-rank sum of metric states")
    offset = 0
    for v in variables:
        n = v.numel()
        if getattr(v, "aggregation", "sum") == "mean":
            flat[offset : offset + n] /= dist.get_world_size()
        offset += n
    return flat


def _with_global_state(metrics: list, compute):
    """`compute()` while `metrics` hold the states of all ranks combined;
    the local states are restored afterwards."""
    # A container's variables are its members' too: each once.
    variables = list({id(v): v for m in metrics for v in m.variables}.values())
    if not variables:
        return compute()
    saved = [v.detach().clone() for v in variables]
    try:
        collectives.unflatten_into(_reduced_state(variables), variables)
        # A result may alias a state tensor: copy before restoring.
        return tree.map_structure(
            lambda t: t.detach().clone() if isinstance(t, torch.Tensor) else t,
            compute(),
        )
    finally:
        collectives.unflatten_into(collectives.flatten(saved), variables)


def global_metric_results(model: Any) -> dict:
    """`model.get_metrics_result()` computed from all ranks' states."""
    return _with_global_state(model.metrics, model.get_metrics_result)


def _source(value: Any, candidates: list) -> int:
    """1 + the index of the metric whose local result `value` is, or 0."""
    value = torch.as_tensor(value).detach()
    for i, metric in enumerate(candidates):
        result = metric.result()
        if (
            isinstance(result, torch.Tensor)
            and result.shape == value.shape
            and torch.equal(result.detach().to(value), value)
        ):
            return i + 1
    return 0


def global_logs(model: Any, logs: dict) -> dict:
    """`logs` from a custom step, made the same on every rank.

    A value that is a metric's result (on every rank) becomes the metric's
    result on the combined states; any other value is averaged.
    """
    from lamina.callbacks.logs import flatten_logs

    metrics = _tracked_metrics(model)
    logs = flatten_logs(logs)  # a container's results come as a dict
    keys = sorted(logs)
    sources = [
        _source(logs[k], [m for m in metrics if m.name == k]) for k in keys
    ]
    values = [
        torch.as_tensor(logs[k], dtype=torch.float64).detach().cpu().reshape(-1)
        for k in keys
    ]
    flat = torch.cat(values + [torch.tensor(sources, dtype=torch.float64)])
    flat = collectives.all_reduce(flat, "the cross-rank mean of step logs")
    world = dist.get_world_size()
    agreed = flat[-len(keys) :].tolist() if keys else []
    results = _with_global_state(metrics, lambda: [m.result() for m in metrics])
    out, offset = {}, 0
    for k, value, source, total in zip(keys, values, sources, agreed):
        if source and total == world * source:
            named = [r for m, r in zip(metrics, results) if m.name == k]
            out[k] = named[source - 1]
        else:
            shape = torch.as_tensor(logs[k]).shape
            out[k] = (flat[offset : offset + value.numel()] / world).reshape(
                shape
            )
        offset += value.numel()
    return out


def gather_outputs(outputs: list) -> Any:
    """Concatenate every rank's predict outputs in sample order (NumPy).

    `outputs[b]` is this rank's part of global batch `b`: rank 0 holds
    its first rows, rank 1 the next, and so on.
    """
    counts = collectives.all_gather_ints(
        [len(outputs)], "the batch count check of predict"
    )
    if len({c[0] for c in counts}) > 1:
        raise RuntimeError(
            "lamina.distribute: the ranks predicted different numbers of "
            f"batches ({[c[0] for c in counts]}). Pass the same `x` and "
            "`steps` to `predict` on every rank."
        )
    flat = [tree.flatten(o) for o in outputs]
    rows = collectives.all_gather_ints(
        [int(f[0].shape[0]) for f in flat], "the row counts of predict"
    )
    merged = []
    for leaf in range(len(flat[0])):
        local = torch.cat([f[leaf] for f in flat])
        merged.append(_gather_leaf(local, rows).cpu().numpy())
    return tree.pack_sequence_as(outputs[0], merged)


def _gather_leaf(local: torch.Tensor, rows: list[list[int]]) -> torch.Tensor:
    longest = max(sum(r) for r in rows)
    padded = local.new_zeros((longest,) + tuple(local.shape[1:]))
    padded[: local.shape[0]] = local
    pieces = collectives.all_gather(padded, "the gather of predict outputs")
    starts = [0] * len(pieces)
    ordered = []
    for batch in range(len(rows[0])):
        for r, piece in enumerate(pieces):
            n = rows[r][batch]
            ordered.append(piece[starts[r] : starts[r] + n])
            starts[r] += n
    return torch.cat(ordered)


__all__ = ["gather_outputs", "global_logs", "global_metric_results"]
