"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer."""

from __future__ import annotations

from typing import Any, Sequence

import torch

from lamina.errors import invalid_argument
from lamina.optimizers.optimizer import Optimizer
from lamina.saving import serialization

# Base-optimizer arguments the wrapper refuses: they belong on the inner one.
_INNER_ONLY = (
    "weight_decay",
    "clipnorm",
    "global_clipnorm",
    "clipvalue",
    "use_ema",
    "ema_momentum",
    "ema_overwrite_frequency",
    "loss_scale_factor",
    "gradient_accumulation_steps",
)
_INNER_DEFAULTS = {"use_ema": False, "ema_momentum": 0.99}


class LossScaleOptimizer(Optimizer):
    """An optimizer that dynamically scales the loss to prevent float16
    gradients from underflowing.

    `scale_loss(loss)` multiplies the loss by the current scale; `apply`
    divides the gradients by it before the inner optimizer sees them. If any
    gradient is not finite, the step is skipped and the scale halved; after
    `dynamic_growth_steps` finite steps in a row the scale doubles.
    `compile` wraps the optimizer in one automatically under the
    `"mixed_float16"` policy (`auto_scale_loss=True`).

    Args:
        inner_optimizer: the `lamina.optimizers.Optimizer` to wrap.
        initial_scale: the starting loss scale.
        dynamic_growth_steps: finite steps between two doublings.
        name: optional name.

    Example:

    >>> import torch, lamina
    >>> opt = lamina.optimizers.LossScaleOptimizer(
    ...     lamina.optimizers.SGD(0.5), initial_scale=4.0)
    >>> w = torch.nn.Parameter(torch.ones(2))
    >>> loss = opt.scale_loss((w * w).sum() / 2)
    >>> loss.backward()
    >>> opt.apply([w.grad], [w])
    >>> w.data
    tensor([0.5000, 0.5000])
    >>> opt.apply([torch.full((2,), float("inf"))], [w])
    >>> w.data, float(opt.dynamic_scale)
    (tensor([0.5000, 0.5000]), 2.0)
    """

    def __init__(
        self,
        inner_optimizer: Optimizer,
        initial_scale: float = 2.0**15,
        dynamic_growth_steps: int = 2000,
        name: str | None = None,
        **kwargs: Any,
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`: set "
                "`loss_scale_factor` on the inner optimizer instead."
            )
        for arg in _INNER_ONLY:
            if arg in kwargs and kwargs.pop(arg) != _INNER_DEFAULTS.get(arg):
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg}`: set it on "
                    "the `inner_optimizer` instead."
                )
        if kwargs:
            raise ValueError(
                "LossScaleOptimizer does not support arguments: "
                f"{', '.join(f'`{k}`' for k in kwargs)}."
            )
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                invalid_argument(
                    "LossScaleOptimizer",
                    "inner_optimizer",
                    "a lamina.optimizers.Optimizer",
                    inner_optimizer,
                )
            )
        if dynamic_growth_steps < 1:
            raise ValueError(
                invalid_argument(
                    "LossScaleOptimizer",
                    "dynamic_growth_steps",
                    "a positive integer",
                    dynamic_growth_steps,
                )
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        inner_optimizer.loss_scale_factor = None

    def build(self, variables: Sequence[torch.Tensor]) -> None:
        variables = list(variables)
        if variables:
            self._move_state(variables[0].device)
        self.step_counter = self.add_variable(
            (), dtype=torch.int64, name="step_counter"
        )
        self.dynamic_scale = self.add_variable(
            (),
            initializer=self.initial_scale,
            dtype=torch.float32,
            name="dynamic_scale",
        )
        self.inner_optimizer.build(variables)
        self._trainable_variables = self.inner_optimizer._trainable_variables
        self.built = True

    @property
    def variables(self) -> list[torch.Tensor]:
        """The wrapper's variables, then the inner optimizer's (Keras's
        order in saved files)."""
        return list(self._variables) + self.inner_optimizer.variables

    @property
    def variable_names(self) -> list[str]:
        return list(self._variable_names) + self.inner_optimizer.variable_names

    @torch.no_grad()
    def apply(
        self,
        grads: Sequence[torch.Tensor | None],
        trainable_variables: Sequence[torch.Tensor] | None = None,
    ) -> None:
        """Unscale `grads` and apply them with the inner optimizer, or skip
        the step and halve the scale if any is not finite."""
        if not self.built:
            self.build(trainable_variables)
        present = [g for g in grads if g is not None]
        found_inf = torch.zeros((), device=self.dynamic_scale.device)
        inv_scale = self.dynamic_scale.reciprocal()
        if present:
            present = [
                g if g.is_floating_point() else g.float() for g in present
            ]
            # One fused kernel divides in place and flags inf/NaN; reading
            # the flag is the only host sync (as in torch's GradScaler).
            torch._amp_foreach_non_finite_check_and_unscale_(
                present, found_inf, inv_scale
            )
        if bool(found_inf):
            self.step_counter.zero_()
            self.dynamic_scale.mul_(0.5)
            return
        self.inner_optimizer.apply(list(grads), trainable_variables)
        if int(self.step_counter) == self.dynamic_growth_steps - 1:
            self.step_counter.zero_()
            self.dynamic_scale.mul_(2.0)
        else:
            self.step_counter.add_(1)

    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        scale = self.dynamic_scale if self.built else self.initial_scale
        return loss * scale

    @property
    def learning_rate(self) -> Any:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self) -> torch.Tensor:
        return self.inner_optimizer.iterations

    def finalize_variable_values(self, var_list: Any) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "inner_optimizer": serialization.serialize_keras_object(
                self.inner_optimizer
            ),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> LossScaleOptimizer:
        config = dict(config)
        inner = serialization.deserialize_keras_object(
            config.pop("inner_optimizer"), custom_objects=custom_objects
        )
        return cls(inner, **config)
