"""What `compile(loss=..., metrics=...)` turns into: one object that
matches the loss(es) and metric(s) to the model's output structure."""

from __future__ import annotations

from typing import Any

import torch

from lamina import losses as losses_module
from lamina import metrics as metrics_module
from lamina.metrics import Metric
from lamina.utils import tree


def is_binary_or_sparse(y_true: Any, y_pred: Any) -> tuple[bool, bool]:
    t_rank, p_rank = len(y_true.shape), len(y_pred.shape)
    is_binary = y_pred.shape[-1] == 1
    is_sparse = t_rank < p_rank or (
        y_true.shape[-1] == 1 and y_pred.shape[-1] > 1
    )
    return is_binary, is_sparse


def resolve_loss(identifier: Any) -> Any:
    """A loss callable `(y_true, y_pred, sample_weight) -> scalar`."""
    if identifier is None:
        return None
    if isinstance(identifier, torch.nn.Module) and not hasattr(
        identifier, "get_config"
    ):
        return _TorchLoss(identifier)
    loss: Any = losses_module.get(identifier)
    if not isinstance(loss, losses_module.Loss):
        # Functions give per-sample values; Keras reduces them as a
        # `LossFunctionWrapper` with the default reduction.
        loss = losses_module.LossFunctionWrapper(
            loss, name=getattr(loss, "__name__", None)
        )
    return loss


class _TorchLoss:
    """A torch loss module (`nn.CrossEntropyLoss()`...) as a Keras loss:
    torch takes `(input, target)`, Keras `(y_true, y_pred)`."""

    def __init__(self, module: torch.nn.Module):
        self.module = module
        self.name = type(module).__name__

    def __call__(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> Any:
        if sample_weight is not None:
            raise ValueError(
                f"The torch loss {self.name} cannot take `sample_weight`; "
                "use a lamina loss (e.g. lamina.losses.get(...)) instead."
            )
        return self.module(y_pred, y_true)


def _metric(identifier: Any, y_true, y_pred, prefix: str):
    metric: Any
    if str(identifier).lower() in ("accuracy", "acc"):
        binary, sparse = is_binary_or_sparse(y_true, y_pred)
        cls = (
            metrics_module.BinaryAccuracy
            if binary
            else metrics_module.SparseCategoricalAccuracy
            if sparse
            else metrics_module.CategoricalAccuracy
        )
        metric = cls(name=str(identifier))
    else:
        metric = metrics_module.get(identifier)
        if not isinstance(metric, metrics_module.Metric):
            metric = metrics_module.MeanMetricWrapper(
                metric, name=getattr(metric, "__name__", "metric")
            )
    if isinstance(identifier, str):
        metric.name = identifier
    if prefix:
        metric.name = f"{prefix}_{metric.name}"
    return metric


def _per_output(spec: Any, names: list, what: str) -> list:
    """Spread a compile argument over the outputs: a dict by output name,
    a list with one entry per output, or one value for all outputs."""
    if isinstance(spec, dict):
        unknown = set(spec) - set(names)
        if unknown:
            raise ValueError(
                f"In the dict argument `{what}` of compile(), keys "
                f"{sorted(unknown)} do not match any model output. Expected "
                f"keys in {names}. Received: {what}={spec}"
            )
        return [spec.get(n) for n in names]
    is_list = isinstance(spec, (list, tuple))
    if what.endswith("metrics"):
        per_output = (
            is_list
            and len(names) > 1
            and all(isinstance(s, (list, tuple)) or s is None for s in spec)
        )
    else:  # `loss=["mse"]` / `loss_weights=[0.5]` fit one output too
        per_output = is_list and (len(names) > 1 or len(spec) == 1)
    if per_output:
        if len(spec) != len(names):
            raise ValueError(
                f"For a model with {len(names)} outputs, `{what}` must have "
                f"{len(names)} entries. Received {len(spec)}: {spec}"
            )
        return list(spec)
    return [spec] * len(names)


class CompileLoss:
    """The compiled loss: per-output losses, weighted and summed."""

    def __init__(self, loss: Any, loss_weights: Any, output_names: list):
        self.output_names = output_names
        self.losses = [
            resolve_loss(l) for l in _per_output(loss, output_names, "loss")
        ]
        if loss_weights is None:
            weights = [1.0] * len(output_names)
        else:
            weights = _per_output(loss_weights, output_names, "loss_weights")
        self.weights = [1.0 if w is None else float(w) for w in weights]
        self.multi = len(output_names) > 1
        # Keras logs each output's unweighted loss as `<output>_loss` when
        # there is more than one loss.
        self.trackers = self._make_trackers()
        # One output, one unweighted loss and no per-output tracker (the
        # usual model): `__call__` calls it directly.
        single = len(output_names) == 1 and self.trackers[0] is None
        self._only = (
            self.losses[0] if single and self.weights[0] == 1.0 else None
        )

    def _make_trackers(self) -> list:
        from lamina.metrics import Mean

        if sum(fn is not None for fn in self.losses) < 2:
            return [None] * len(self.losses)
        return [
            Mean(name=f"{n}_loss") if fn is not None else None
            for n, fn in zip(self.output_names, self.losses)
        ]

    @property
    def metrics(self) -> list:
        return [t for t in self.trackers if t is not None]

    def __call__(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> Any:
        fn = self._only
        if (
            fn is not None
            and not isinstance(y_true, dict)
            and not isinstance(y_pred, dict)
            and not tree.is_nested(sample_weight)
        ):
            # What the loop below does for a single output, in one call.
            if sample_weight is None:
                return fn(y_true, y_pred)
            return fn(y_true, y_pred, sample_weight=sample_weight)
        flat_true = _flat_outputs(y_true, self.output_names)
        flat_pred = _flat_outputs(y_pred, self.output_names)
        flat_sw = (
            _flat_outputs(sample_weight, self.output_names)
            if tree.is_nested(sample_weight)
            else [sample_weight] * len(flat_pred)
        )
        total: Any = None
        for fn, w, t, p, sw, tracker in zip(
            self.losses,
            self.weights,
            flat_true,
            flat_pred,
            flat_sw,
            self.trackers,
        ):
            if fn is None:
                continue
            value = fn(t, p) if sw is None else fn(t, p, sample_weight=sw)
            if tracker is not None:
                tracker.update_state(value.detach(), sample_weight=p.shape[0])
            value = value * w if w != 1.0 else value
            total = value if total is None else total + value
        return total  # None without any loss: the model's own may do


def _flat_outputs(values: Any, names: list) -> list:
    if values is None:
        return [None] * len(names)
    if isinstance(values, dict):
        missing = [n for n in names if n not in values]
        if missing:
            raise ValueError(
                f"Targets are missing for outputs {missing}. Expected keys "
                f"{names}, received {sorted(values)}."
            )
        return [values[n] for n in names]
    if isinstance(values, (list, tuple)) and len(names) > 1:
        return list(values)
    return [values]


class CompileMetrics(Metric):
    """The compiled metrics, one container metric named `compile_metrics`
    as in Keras (a custom `train_step` that updates every metric of
    `model.metrics` updates them through it), built on the first batch (to
    resolve `"accuracy"` from the target and prediction shapes); its result
    is the dict of the metrics' results."""

    def __init__(self, metrics: Any, weighted_metrics: Any, output_names: list):
        super().__init__(name="compile_metrics")
        self.output_names = output_names
        self._specs = (
            _per_output(metrics, output_names, "metrics")
            if metrics is not None
            else [None] * len(output_names)
        )
        self._weighted = (
            _per_output(weighted_metrics, output_names, "weighted_metrics")
            if weighted_metrics is not None
            else [None] * len(output_names)
        )
        self.metrics: list = []
        self._plan: list = []
        self.built = False

    def build(self, y_true: Any, y_pred: Any) -> None:
        flat_true = _flat_outputs(y_true, self.output_names)
        flat_pred = _flat_outputs(y_pred, self.output_names)
        multi = len(self.output_names) > 1
        for i, name in enumerate(self.output_names):
            prefix = name if multi else ""
            for spec, weighted in (
                (self._specs[i], False),
                (self._weighted[i], True),
            ):
                for ident in _as_list(spec):
                    m = _metric(ident, flat_true[i], flat_pred[i], prefix)
                    if weighted and any(m.name == o.name for o in self.metrics):
                        m.name = f"weighted_{m.name}"
                    self.metrics.append(m)
                    self._metrics.append(m)  # its state is ours too
                    self._plan.append((m, i, weighted))
        self.built = True

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> None:
        if not self.built:
            self.build(y_true, y_pred)
        if not self._plan:  # compiled without metrics
            return
        flat_true = _flat_outputs(y_true, self.output_names)
        flat_pred = _flat_outputs(y_pred, self.output_names)
        flat_sw = (
            _flat_outputs(sample_weight, self.output_names)
            if tree.is_nested(sample_weight)
            else [sample_weight] * len(flat_pred)
        )
        for metric, i, weighted in self._plan:
            sw = flat_sw[i] if weighted else None
            metric.update_state(flat_true[i], flat_pred[i], sample_weight=sw)

    def result(self) -> dict:
        return results_by_name(self.metrics)

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()


def results_by_name(metrics: list) -> dict:
    """`{name: result}` of `metrics`; a container's dict of results is
    merged in."""
    out = {}
    for metric in metrics:
        value = metric.result()
        if isinstance(value, dict):
            out.update(value)
        else:
            out[metric.name] = value
    return out


def _as_list(spec: Any) -> list:
    if spec is None:
        return []
    if isinstance(spec, (list, tuple)):
        return list(spec)
    return [spec]
