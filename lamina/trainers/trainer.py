"""`Trainer`: compile / fit / evaluate / predict for `Model`.

The step functions follow Keras's torch trainer (`train_step`,
`test_step`, `predict_step` are overridable). What differs is where the
time goes: batches are sliced from tensors already on the device, the loss
and metrics accumulate on the device, and values are read back only when a
callback or the progress bar asks (never per step at `verbose=0`).
"""

from __future__ import annotations

import inspect
import warnings

import torch

from lamina.errors import FIT_BEFORE_COMPILE
from lamina.engine.mixin_host import ModelHost
from lamina.trainers import (
    argument_checks,
    compiled_step,
    epoch_loops,
    run_hooks,
)
from lamina.trainers.data_adapters import unpack_x_y_sample_weight
from lamina.trainers.interrupts import atomic_update
from lamina.utils import tree


class Trainer(ModelHost):
    """Training and inference methods mixed into `Model`."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.stop_training = False
        self.history = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._step_cache = None
        self.jit_compile = False
        self.run_eagerly = False
        self.steps_per_execution = 1
        # As Keras: an override of `compute_loss` written without a
        # `training` parameter (older Keras code) is called without it.
        self._compute_loss_has_training_arg = (
            "training" in inspect.signature(self.compute_loss).parameters
        )

    # -- compile -----------------------------------------------------------

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ) -> None:
        """Configure the model for training.

        Args:
            optimizer: name, `lamina.optimizers.Optimizer`, or a
                `torch.optim.Optimizer` (instance, or class).
            loss: name, `Loss`, callable `(y_true, y_pred)`, a torch loss
                module, or a list/dict of them for several outputs.
            loss_weights: per-output loss weights (list or dict).
            metrics: names, `Metric`s or callables (per output as a list of
                lists or a dict for several outputs).
            weighted_metrics: metrics that receive `sample_weight`.
            run_eagerly: accepted; the step always runs eagerly unless
                `jit_compile=True`.
            steps_per_execution: accepted for Keras parity.
            jit_compile: `True` compiles each whole step (see
                `compiled_step.py`); `"auto"`, `False` run eagerly.
            auto_scale_loss: under the `"mixed_float16"` policy, wrap the
                optimizer in a `LossScaleOptimizer`.
        """
        from lamina import metrics as metrics_module
        from lamina import optimizers
        from lamina.trainers import compile_utils

        argument_checks.check_compile(
            metrics,
            weighted_metrics,
            loss_weights,
            run_eagerly,
            steps_per_execution,
            jit_compile,
            auto_scale_loss,
        )
        self.optimizer = optimizers.get(optimizer)
        resolved_optimizer = self.optimizer
        if (
            auto_scale_loss
            and self.dtype_policy.name == "mixed_float16"
            and not isinstance(self.optimizer, optimizers.LossScaleOptimizer)
        ):
            # float16 gradients underflow without loss scaling (Keras does
            # the same wrapping).
            self.optimizer = optimizers.LossScaleOptimizer(
                self.optimizer, name="loss_scale_optimizer"
            )
        names = self._output_names()
        self._compile_loss = compile_utils.CompileLoss(
            loss, loss_weights, names
        )
        self._compile_metrics = compile_utils.CompileMetrics(
            metrics, weighted_metrics, names
        )
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = bool(run_eagerly)
        self.jit_compile = jit_compile is True
        self.__dict__.pop("_step_functions", None)
        self.steps_per_execution = steps_per_execution
        self._step_cache = None
        # Keras keeps the argument as `model.loss`; kept out of the module
        # tree (a torch loss module is not a sublayer).
        self.__dict__["loss"] = loss
        self._compile_args = {
            # Keras records the resolved optimizer (before loss-scale
            # wrapping) and the resolved jit_compile.
            "optimizer": resolved_optimizer,
            "loss": loss,
            "metrics": metrics,
            "loss_weights": loss_weights,
            "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
            "jit_compile": self.jit_compile,
        }
        self.compiled = True

    def _output_names(self) -> list:
        outputs = getattr(self, "_outputs_struct", None)
        if getattr(self, "_graph", None) is None or outputs is None:
            return ["output"]
        if isinstance(outputs, dict):
            return list(outputs)
        flat = tree.flatten(outputs)
        return [t._keras_history.operation.name for t in flat]

    def get_compile_config(self) -> dict | None:
        """`compile()`'s arguments in Keras's serialized form (None before
        `compile`); `compile_from_config` reads them back."""
        from lamina.trainers import compile_config

        if not self.compiled:
            return None
        return compile_config.serialize(self._compile_args)

    def compile_from_config(self, config: dict) -> None:
        """Compile from `get_compile_config()`'s output and build the
        optimizer, as Keras does when it loads a model."""
        from lamina.trainers import compile_config

        compile_config.compile_from_config(self, config)

    def _assert_compiled(self) -> None:
        if not self.compiled:
            raise RuntimeError(FIT_BEFORE_COMPILE)

    @property
    def metrics(self) -> list:
        """As Keras lists them: the loss tracker, the compiled metrics
        (one `compile_metrics` container), each output's loss tracker, then
        metrics the model holds as attributes (a custom `train_step`'s own
        trackers)."""
        from lamina.metrics import Metric

        out = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if self._compile_metrics is not None:
            out.append(self._compile_metrics)
        if self._compile_loss is not None:
            out.extend(self._compile_loss.metrics)
        for key, value in vars(self).items():
            if (
                isinstance(value, Metric)
                and key not in ("_loss_tracker", "_compile_metrics")
                and all(value is not m for m in out)
            ):
                out.append(value)
        return out

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        for m in self.metrics:
            m.reset_state()

    # -- the steps -----------------------------------------------------------

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ) -> torch.Tensor:
        """The compiled loss plus the model's added losses
        (regularization, `add_loss`)."""
        loss = self._compile_loss(y, y_pred, sample_weight)
        extra = self.losses
        if extra:
            device = loss.device if loss is not None else None
            dtype = loss.dtype if loss is not None else None
            added = torch.stack(
                [
                    torch.as_tensor(l, device=device).reshape(()).to(dtype)
                    for l in extra
                ]
            ).sum()
            loss = added if loss is None else loss + added
        if loss is None:
            raise ValueError(
                f"No loss to compute for model '{self.name}': `compile()` "
                "received loss=None for every output and the model adds no "
                "loss of its own (`add_loss`). Provide a `loss` argument in "
                "`compile()`."
            )
        return loss

    def _compute_loss(self, x, y, y_pred, sample_weight, training):
        if self._compute_loss_has_training_arg:
            return self.compute_loss(
                x=x,
                y=y,
                y_pred=y_pred,
                sample_weight=sample_weight,
                training=training,
            )
        return self.compute_loss(
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight
        )

    def compute_metrics(self, x, y, y_pred, sample_weight=None) -> dict:
        self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict:
        """Current metric values as tensors, keyed by name."""
        from lamina.trainers.compile_utils import results_by_name

        return results_by_name(self.metrics)

    def train_step(self, data) -> dict:
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
        self._loss_tracker.update_state(
            loss.detach(), sample_weight=_batch_size(x)
        )
        params = self._trainable_params()
        if params:
            self._apply_gradients(loss, params)
        else:
            # As Keras: a model with only `add_loss` losses and no weights
            # (the subclassing guide's example) trains as a no-op.
            warnings.warn(
                "The model does not have any trainable weights.", stacklevel=2
            )
        self._compile_metrics.update_state(
            y,
            y_pred.detach() if isinstance(y_pred, torch.Tensor) else y_pred,
            sample_weight,
        )
        return {}

    def _apply_gradients(self, loss: torch.Tensor, params: list) -> None:
        scaled = self.optimizer.scale_loss(loss)
        if torch.compiler.is_compiling():
            # Inside the compiled step (`compiled_step.py`): gradients as
            # values in the graph; `.backward()` and `p.grad` on a
            # Parameter subclass would break it.
            grads = torch.autograd.grad(scaled, params, allow_unused=True)
            self.optimizer.apply(list(grads), params)
            return
        for p in params:
            p.grad = None
        scaled.backward()
        with atomic_update():
            self.optimizer.apply([p.grad for p in params], params)

    def test_step(self, data) -> dict:
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        self._compile_metrics.update_state(y, y_pred, sample_weight)
        return {}

    def predict_step(self, data):
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def make_train_function(self, force: bool = False):
        """The callable `fit` runs per batch: `train_step`, compiled with
        `torch.compile` when `jit_compile=True`."""
        return self._step_function("train", force)

    def make_test_function(self, force: bool = False):
        return self._step_function("test", force)

    def make_predict_function(self, force: bool = False):
        return self._step_function("predict", force)

    def _step_function(self, kind: str, force: bool):
        return compiled_step.step_function(self, kind, force)

    def _trainable_params(self) -> list:
        cache = self._step_cache
        if cache is None:
            cache = [p for p in self.trainable_weights if p.requires_grad]
            self._step_cache = cache
        return cache

    # -- public loops ----------------------------------------------------------

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Train the model for a fixed number of epochs; returns `History`.
        (Arguments as in Keras 3's `Model.fit`.)"""
        self._assert_compiled()
        argument_checks.check_fit(
            x,
            batch_size,
            epochs,
            verbose,
            validation_split,
            shuffle,
            class_weight,
            initial_epoch,
            steps_per_epoch,
            validation_steps,
            validation_batch_size,
            validation_freq,
        )
        return epoch_loops.fit(
            self,
            epoch_loops.FitArguments(
                x=x,
                y=y,
                batch_size=batch_size,
                epochs=epochs,
                verbose=verbose,
                callbacks=callbacks,
                validation_split=validation_split,
                validation_data=validation_data,
                shuffle=shuffle,
                class_weight=class_weight,
                sample_weight=sample_weight,
                initial_epoch=initial_epoch,
                steps_per_epoch=steps_per_epoch,
                validation_steps=validation_steps,
                validation_batch_size=validation_batch_size,
                validation_freq=validation_freq,
            ),
        )

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
        **kwargs,
    ):
        """Loss and metric values on the given data."""
        self._assert_compiled()
        argument_checks.check_evaluate(x, batch_size, verbose, steps)
        logs = epoch_loops.evaluate(
            self,
            x=x,
            y=y,
            batch_size=batch_size,
            verbose=verbose,
            sample_weight=sample_weight,
            steps=steps,
            callbacks=callbacks,
            internal_callbacks=kwargs.pop("_callbacks", None),
        )
        if return_dict:
            return logs
        values = [logs[name] for name in self._result_order(logs)]
        return values[0] if len(values) == 1 else values

    def _result_order(self, logs: dict) -> list:
        """Keras's order of `evaluate`'s list: `model.metrics` in order
        (the compiled container by its metrics' names), then the other
        keys sorted."""
        from lamina.trainers.compile_utils import CompileMetrics

        names = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                # Keras's sub-metric names carry no output prefix, so with
                # several outputs they match no key and sort with the rest.
                if len(metric.output_names) <= 1:
                    names += [m.name for m in metric.metrics]
            else:
                names.append(metric.name)
        names = [n for n in dict.fromkeys(names) if n in logs]
        return names + sorted(k for k in logs if k not in names)

    def predict(
        self, x, batch_size=None, verbose="auto", steps=None, callbacks=None
    ):
        """Outputs for `x`, as NumPy arrays (batched)."""
        argument_checks.check_predict(x, batch_size, verbose, steps)
        return epoch_loops.predict(
            self,
            x,
            batch_size=batch_size,
            verbose=verbose,
            steps=steps,
            callbacks=callbacks,
        )

    def train_on_batch(
        self,
        x,
        y=None,
        sample_weight=None,
        class_weight=None,
        return_dict=False,
    ):
        self._assert_compiled()
        return epoch_loops.on_batch(
            self, "train", x, y, sample_weight, class_weight, return_dict
        )

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._assert_compiled()
        return epoch_loops.on_batch(
            self, "test", x, y, sample_weight, None, return_dict
        )

    def predict_on_batch(self, x):
        device = epoch_loops.prepare_device(self)
        from lamina.trainers.data_adapters.array_data_adapter import to_tensor

        with torch.no_grad():
            was = self.training
            self.eval()
            try:
                step = run_hooks.run_for(self).predict_step(self.predict_step)
                out = step(
                    (tree.map_structure(lambda a: to_tensor(a, device), x),)
                )
            finally:
                self.train(was)
        return tree.map_structure(lambda t: t.detach().cpu().numpy(), out)


def _batch_size(x) -> int:
    for t in tree.flatten(x):
        if hasattr(t, "shape"):
            return int(t.shape[0])
    return 1


__all__ = ["Trainer"]
