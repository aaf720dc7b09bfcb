"""The base class of lamina's optimizers.

An optimizer updates `torch.nn.Parameter`s (or any float tensors) in place
from their gradients, with Keras 3's semantics: the same update rules, the
same order of gradient unscaling, clipping, decoupled weight decay, update,
EMA and constraints, and the same optimizer variables in the same order
(`iterations`, `learning_rate`, then the slots), so that a checkpoint maps
one-to-one onto Keras's.

Each algorithm is written once, as `batched_update_step` over lists of
tensors with `torch._foreach_*` ops (one Python call per op per step, not
per parameter), inside `torch.no_grad()`. `apply` never reads a device value
back on the host, so a train step that calls it can be traced whole by
`torch.compile`; in eager mode step-dependent constants are plain Python
numbers computed from a host-side mirror of `iterations`.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Iterable, Sequence

import torch

from lamina import config
from lamina.errors import format_value
from lamina.errors import invalid_argument
from lamina.errors import unrecognized_kwargs
from lamina.optimizers import argument_checks
from lamina.optimizers.argument_checks import BASE_ARGUMENTS as BASE_ARGUMENTS
from lamina.optimizers.argument_checks import base_arguments as base_arguments
from lamina.optimizers import gradient_clipping
from lamina.optimizers import moving_average
from lamina.optimizers.optimizer_variables import OptimizerVariables
from lamina.optimizers.optimizer_variables import reference_name
from lamina.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
)
from lamina.optimizers.weight_decay import WeightDecayMask
from lamina.saving import serialization


class Optimizer(OptimizerVariables):
    """Base class of optimizers.

    A subclass creates its slots in `build` with `add_optimizer_variables`
    and implements `batched_update_step` over lists of tensors (or, as in
    Keras, `update_step` for one variable at a time), plus `get_config`.

    Args:
        learning_rate: a float, a
            `lamina.optimizers.schedules.LearningRateSchedule` evaluated at
            `iterations` each step, or a callable of no arguments.
        weight_decay: if set, every variable not excluded with
            `exclude_from_weight_decay` is multiplied by
            `1 - weight_decay * learning_rate` before the update.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element into `[-clipvalue, clipvalue]`.
        global_clipnorm: clip all gradients together to this global norm.
        use_ema: keep an exponential moving average of the variables.
        ema_momentum: the EMA's momentum, in `[0, 1]`.
        ema_overwrite_frequency: every this many steps, overwrite the
            variables with their average; `None` leaves that to
            `finalize_variable_values`.
        loss_scale_factor: the factor `scale_loss` multiplies the loss by;
            gradients are divided by it before anything else.
        gradient_accumulation_steps: if an int `n >= 2`, variables change
            only every `n` steps, by the mean of the `n` gradients.
        name: the optimizer's name.

    In eager mode the step constants come from a host mirror of
    `iterations`. Under `torch.compile` they are tensor ops; there,
    gradient accumulation and `ema_overwrite_frequency` branch on the step
    value, which splits the traced graph at that branch.

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.ones(2))
    >>> opt = lamina.optimizers.SGD(learning_rate=0.5)
    >>> opt.apply([torch.ones(2)], [w])
    >>> w.data
    tensor([0.5000, 0.5000])
    >>> int(opt.iterations)
    1
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule | Callable,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        if kwargs.pop("decay", None) is not None:
            warnings.warn(
                "Argument `decay` is no longer supported and will be ignored.",
                stacklevel=2,
            )
        if kwargs:
            raise ValueError(unrecognized_kwargs(type(self), kwargs))
        cls = type(self)
        argument_checks.check_accumulation(cls, gradient_accumulation_steps)
        if use_ema:
            argument_checks.check_ema(
                cls, ema_momentum, ema_overwrite_frequency
            )
        argument_checks.check_clipping(
            cls, clipnorm, clipvalue, global_clipnorm
        )
        self.name = (
            name
            if name is not None
            else argument_checks.auto_name(cls.__name__)
        )
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._init_variable_store()
        self._learning_rate = self._make_learning_rate(learning_rate)
        self._weight_decay_mask = WeightDecayMask()

    def _make_learning_rate(self, value: Any) -> Any:
        if isinstance(value, LearningRateSchedule) or callable(value):
            return value
        if not isinstance(value, float):
            raise ValueError(
                invalid_argument(
                    type(self),
                    "learning_rate",
                    "a float, a LearningRateSchedule or a callable of no "
                    "arguments",
                    value,
                )
            )
        tensor = torch.tensor(
            value,
            dtype=getattr(torch, config.floatx()),
            device=self._iterations.tensor.device,
        )
        return self._track(tensor, "learning_rate", position=1)

    # -- state -------------------------------------------------------------

    @property
    def iterations(self) -> torch.Tensor:
        """The number of steps taken, an int32 variable updated in place
        (Keras's dtype).

        With gradient accumulation, the number of variable updates.
        """
        if self.gradient_accumulation_steps:
            return self._iterations.tensor // self.gradient_accumulation_steps
        return self._iterations.tensor

    def _current_iterations(self) -> int | torch.Tensor:
        step = self._iterations.value()
        if self.gradient_accumulation_steps:
            return step // self.gradient_accumulation_steps
        return step

    @property
    def learning_rate(self) -> torch.Tensor | float:
        """The current learning rate (a schedule is evaluated at
        `iterations`). Settable to a float or a schedule."""
        return self._current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        current = self._learning_rate
        if isinstance(value, LearningRateSchedule) or callable(value):
            if isinstance(current, torch.Tensor):
                self._untrack(current)
            self._learning_rate = value
        elif isinstance(current, LearningRateSchedule):
            raise TypeError(
                f"Optimizer '{self.name}' was created with a "
                "`LearningRateSchedule` as its `learning_rate`, hence its "
                "learning rate is not settable. Create the optimizer with a "
                f"float `learning_rate` instead. Received: value={value!r}"
            )
        elif isinstance(current, torch.Tensor):
            current.fill_(value)
        else:
            self._learning_rate = self._make_learning_rate(float(value))

    def _current_learning_rate(self) -> torch.Tensor | float:
        lr = self._learning_rate
        if isinstance(lr, torch.Tensor):
            return lr
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations.tensor)
        return lr()

    # -- building ----------------------------------------------------------

    def build(self, variables: Sequence[torch.Tensor]) -> None:
        """Create the optimizer's state for `variables` (in Keras's order:
        EMA averages, gradient accumulators, then the subclass's slots)."""
        variables = list(variables)
        for i, v in enumerate(variables):
            if not isinstance(v, torch.Tensor):
                raise TypeError(
                    f"Optimizer '{self.name}' can only update torch tensors "
                    f"(e.g. `torch.nn.Parameter`). Received: variables[{i}]="
                    f"{format_value(v)}"
                )
        if variables:
            self._move_state(variables[0].device)
        if self.use_ema:
            self._model_variables_moving_average = self._create_slots(
                variables, ["average"]
            )[0]
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self._create_slots(
                variables, ["gradient_accumulator"]
            )[0]
        self._trainable_variables = variables
        self._trainable_variables_indices = {
            id(v): i for i, v in enumerate(variables)
        }
        self._full_key = tuple(map(id, variables))
        self._constraints = [
            (i, v.constraint)
            for i, v in enumerate(variables)
            if getattr(v, "constraint", None) is not None
        ]
        self._weight_decay_mask.refresh(variables)
        self.built = True

    def _get_variable_index(self, variable: torch.Tensor) -> int:
        return self._trainable_variables_indices[id(variable)]

    # -- applying gradients --------------------------------------------------

    def apply_gradients(self, grads_and_vars: Iterable) -> torch.Tensor:
        """Apply `(gradient, variable)` pairs; returns `iterations`."""
        grads, variables = zip(*grads_and_vars)
        self.apply(list(grads), list(variables))
        return self._iterations.tensor

    def step(self, trainable_variables: Sequence | None = None) -> None:
        """PyTorch-style step: apply the gradients stored in each variable's
        `.grad` (variables without one are skipped)."""
        if trainable_variables is None:
            self._require_built("step")
            trainable_variables = self._trainable_variables
        variables = list(trainable_variables)
        self.apply([v.grad for v in variables], variables)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """PyTorch-style: clear the `.grad` of the variables built on."""
        for v in getattr(self, "_trainable_variables", ()):
            if v.grad is None:
                continue
            if set_to_none:
                v.grad = None
            else:
                v.grad.zero_()

    @torch.no_grad()
    def apply(
        self,
        grads: Sequence[torch.Tensor | None],
        trainable_variables: Sequence[torch.Tensor] | None = None,
    ) -> None:
        """Update the variables in place from their gradients.

        Args:
            grads: one gradient per variable; `None` entries are skipped.
            trainable_variables: the variables, in any order, among those
                the optimizer was built with. It is built on the first call;
                after that it may be omitted to mean the built list.
        """
        grads = list(grads)
        if not grads:
            return
        variables, indices = self._resolve_variables(grads, trainable_variables)
        grads, variables, indices = self._filter_gradients(
            grads, variables, indices
        )
        if variables[0].device != self._device:
            self._move_state(variables[0].device)
        if self.loss_scale_factor is not None:
            grads = torch._foreach_div(grads, self.loss_scale_factor)
        if self.gradient_accumulation_steps:
            self._accumulate_or_update(grads, variables, indices)
        else:
            self._update(grads, variables, indices)
        if self.use_ema:
            moving_average.update(
                self._model_variables_moving_average,
                self._trainable_variables,
                self._current_iterations(),
                self.ema_momentum,
                self.ema_overwrite_frequency,
            )
        if self._constraints:
            self._apply_constraints(indices)
        self._iterations.increment()

    def _require_built(self, caller: str) -> None:
        if not self.built:
            raise ValueError(
                f"Optimizer '{self.name}' is not built: `{caller}` without "
                "variables needs it built on a list of variables. Call "
                "`optimizer.build(trainable_variables)` first."
            )

    def _resolve_variables(self, grads: list, variables: Any) -> tuple:
        if variables is None:
            self._require_built("apply")
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    f"Optimizer '{self.name}' received {len(grads)} gradients "
                    f"but tracks {len(self._trainable_variables)} variables: "
                    "pass one gradient per variable, in the built order."
                )
            return self._trainable_variables, None
        variables = list(variables)
        if len(variables) != len(grads):
            raise ValueError(
                f"Optimizer '{self.name}' expected one gradient per variable."
                f" Received: {len(grads)} gradients for {len(variables)} "
                "variables"
            )
        if not self.built:
            self.build(variables)
            self.built = True
        key = tuple(map(id, variables))
        if key == self._full_key:
            return variables, None
        indices = []
        for v, k in zip(variables, key):
            if k not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {format_value(v)}. Optimizer "
                    f"'{self.name}' can only update the variables it was "
                    "built with; create a new optimizer for new variables."
                )
            indices.append(self._trainable_variables_indices[k])
        return variables, indices

    def _filter_gradients(self, grads: list, variables: list, indices):
        if all(isinstance(g, torch.Tensor) for g in grads):
            return grads, variables, indices
        keep = [j for j, g in enumerate(grads) if g is not None]
        if not keep:
            raise ValueError("No gradients provided for any variable.")
        if len(keep) < len(grads):
            missing = [
                reference_name(variables[j])
                for j, g in enumerate(grads)
                if g is None
            ]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when "
                "minimizing the loss. If using `model.compile()`, did you "
                "forget to provide a `loss` argument?",
                stacklevel=4,
            )
        base = indices if indices is not None else range(len(variables))
        grads = [
            torch.as_tensor(
                grads[j], dtype=variables[j].dtype, device=variables[j].device
            )
            for j in keep
        ]
        return grads, [variables[j] for j in keep], [base[j] for j in keep]

    def _accumulate_or_update(self, grads: list, variables: list, indices):
        steps = self.gradient_accumulation_steps
        accumulators = self._gather(self._accumulated_gradients, indices)
        if (self._iterations.value() + 1) % steps == 0:
            grads = torch._foreach_add(grads, accumulators)
            torch._foreach_div_(grads, steps)
            self._update(grads, variables, indices)
            torch._foreach_zero_(self._accumulated_gradients)
        else:
            torch._foreach_add_(accumulators, grads)

    def _update(self, grads: list, variables: list, indices) -> None:
        grads = self._clip_gradients(grads)
        learning_rate = self._current_learning_rate()
        if self.weight_decay is not None:
            self._weight_decay_mask.apply(
                variables, indices, self.weight_decay, learning_rate
            )
        slots = self._slots
        if indices is not None:
            slots = {k: self._gather(v, indices) for k, v in slots.items()}
        self.batched_update_step(grads, variables, learning_rate, slots)

    def _clip_gradients(self, grads: list) -> list:
        if self.clipnorm and self.clipnorm > 0:
            return gradient_clipping.clip_by_norm(grads, self.clipnorm)
        if self.global_clipnorm and self.global_clipnorm > 0:
            return gradient_clipping.clip_by_global_norm(
                grads, self.global_clipnorm
            )
        if self.clipvalue and self.clipvalue > 0:
            return gradient_clipping.clip_by_value(grads, self.clipvalue)
        return grads

    def batched_update_step(
        self,
        grads: list[torch.Tensor],
        variables: list[torch.Tensor],
        learning_rate: torch.Tensor | float,
        slots: dict[str, list[torch.Tensor]],
    ) -> None:
        """Update `variables` in place from `grads` (the algorithm).

        `slots` maps each slot name given to `add_optimizer_variables` to
        the slot tensors of `variables`, in the same order. The default
        calls Keras's one-variable `update_step` for each variable.
        """
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def update_step(
        self, gradient: Any, variable: Any, learning_rate: Any
    ) -> None:
        """Keras's one-variable update hook (see `batched_update_step`)."""
        raise NotImplementedError(
            f"Optimizer {type(self).__name__} must implement "
            "`batched_update_step` or `update_step`."
        )

    # -- weight decay, constraints, EMA ------------------------------------

    def exclude_from_weight_decay(
        self,
        var_list: Sequence[torch.Tensor] | None = None,
        var_names: Sequence[str] | None = None,
    ) -> None:
        """Exclude variables from weight decay.

        Args:
            var_list: variables to exclude.
            var_names: regular expressions; a variable whose Keras name
                (its `name` attribute, else the last part of its `path`
                attribute, e.g. `"bias"`) matches any of them is excluded.
        """
        self._weight_decay_mask.exclude(var_list, var_names)
        if self.built:
            self._weight_decay_mask.refresh(self._trainable_variables)

    def _apply_constraints(self, indices) -> None:
        present = None if indices is None else set(indices)
        for i, constraint in self._constraints:
            if present is None or i in present:
                variable = self._trainable_variables[i]
                variable.copy_(constraint(variable))

    @torch.no_grad()
    def finalize_variable_values(
        self, var_list: Sequence[torch.Tensor]
    ) -> None:
        """At the end of training, overwrite `var_list` with their moving
        averages when `use_ema=True` (`fit` calls this)."""
        if not self.use_ema:
            return
        averages = self._model_variables_moving_average
        if len(var_list) != len(averages):
            raise ValueError(
                f"Optimizer '{self.name}' holds {len(averages)} moving "
                f"averages but received {len(var_list)} variables to "
                "overwrite. Check that the optimizer was built on them."
            )
        torch._foreach_copy_(list(var_list), averages)

    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        """Multiply `loss` by `loss_scale_factor`, if set."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # -- config --------------------------------------------------------------

    def get_config(self) -> dict:
        """The optimizer's configuration, as Keras writes it."""
        lr = self._learning_rate
        if isinstance(lr, torch.Tensor):
            lr = float(lr)
        elif lr is not None:
            lr = serialization.serialize_keras_object(lr)
        return {
            "name": self.name,
            "learning_rate": lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> Optimizer:
        """Create an optimizer from `get_config()`'s output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = serialization.deserialize_keras_object(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"
