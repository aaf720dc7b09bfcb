"""Adagrad: per-coordinate learning rates from accumulated squared
gradients."""

from __future__ import annotations

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import base_arguments


class Adagrad(Optimizer):
    """Adagrad.

    With the slot `acc` (`accumulator`, starting at
    `initial_accumulator_value`):

    ```
    acc += g ** 2
    w -= learning_rate * g / sqrt(acc + epsilon)
    ```

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        initial_accumulator_value: the accumulators' starting value.
        epsilon: added inside the square root for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: the base `Optimizer`
            arguments, in Keras's order.

    Reference:
    - [Duchi et al., 2011](http://www.jmlr.org/papers/volume12/duchi11a/duchi11a.pdf)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.Adagrad(learning_rate=0.1)
    >>> opt.apply([torch.tensor([1.0])], [w])
    >>> round(w.item(), 4)
    0.9047
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
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
        super().__init__(
            learning_rate=learning_rate, **base_arguments(locals()), **kwargs
        )
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            variables,
            "accumulator",
            initializer=float(self.initial_accumulator_value),
        )

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        accumulators = slots["accumulator"]
        torch._foreach_addcmul_(accumulators, grads, grads)
        denominators = torch._foreach_add(accumulators, self.epsilon)
        torch._foreach_sqrt_(denominators)
        updates = torch._foreach_mul(grads, learning_rate)
        torch._foreach_div_(updates, denominators)
        torch._foreach_sub_(variables, updates)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
