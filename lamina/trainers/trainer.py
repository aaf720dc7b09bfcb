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
from typing import Any

import torch

from lamina.errors import FIT_BEFORE_COMPILE
from lamina.engine.mixin_host import ModelHost
from lamina.trainers import argument_checks, compiled_step, epoch_loops
from lamina.trainers import inference_loops
from lamina.trainers.data_adapters import unpack_x_y_sample_weight
from lamina.trainers.fit_data import FitArguments
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
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: Any = None,
        metrics: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: bool | str = "auto",
        auto_scale_loss: bool = True,
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
            steps_per_execution: steps per batch-hook call (Keras's).
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
        self,
        x: Any = None,
        y: Any = None,
        y_pred: Any = None,
        sample_weight: Any = None,
        training: bool = True,
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

    def compute_metrics(
        self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None
    ) -> dict:
        self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict:
        """Current metric values as tensors, keyed by name."""
        from lamina.trainers.compile_utils import results_by_name

        return results_by_name(self.metrics)

    def train_step(self, data: Any) -> dict:
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

    def test_step(self, data: Any) -> dict:
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        self._compile_metrics.update_state(y, y_pred, sample_weight)
        return {}

    def predict_step(self, data: Any) -> Any:
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def make_train_function(self, force: bool = False) -> Any:
        """The callable `fit` runs per batch: `train_step`, compiled with
        `torch.compile` when `jit_compile=True`."""
        return self._step_function("train", force)

    def make_test_function(self, force: bool = False) -> Any:
        return self._step_function("test", force)

    def make_predict_function(self, force: bool = False) -> Any:
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
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: Any = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: Any = True,
        class_weight: dict | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: Any = 1,
    ) -> Any:
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
            FitArguments(
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
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: Any = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: Any = None,
        return_dict: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Loss and metric values on the given data."""
        self._assert_compiled()
        argument_checks.check_evaluate(x, batch_size, verbose, steps)
        logs = inference_loops.evaluate(
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
        return inference_loops.as_list(self, logs)

    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: Any = "auto",
        steps: int | None = None,
        callbacks: Any = None,
    ) -> Any:
        """Outputs for `x`, as NumPy arrays (batched)."""
        argument_checks.check_predict(x, batch_size, verbose, steps)
        return inference_loops.predict(
            self,
            x,
            batch_size=batch_size,
            verbose=verbose,
            steps=steps,
            callbacks=callbacks,
        )

    def train_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        class_weight: dict | None = None,
        return_dict: bool = False,
    ) -> Any:
        self._assert_compiled()
        return inference_loops.on_batch(
            self, "train", x, y, sample_weight, class_weight, return_dict
        )

    def test_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        return_dict: bool = False,
    ) -> Any:
        self._assert_compiled()
        return inference_loops.on_batch(
            self, "test", x, y, sample_weight, None, return_dict
        )

    def predict_on_batch(self, x: Any) -> Any:
        return inference_loops.predict_on_batch(self, x)


def _batch_size(x) -> int:
    for t in tree.flatten(x):
        if hasattr(t, "shape"):
            return int(t.shape[0])
    return 1


__all__ = ["Trainer"]
