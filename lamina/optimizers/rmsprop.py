"""RMSprop: divide the gradient by a running RMS of its magnitude."""

from __future__ import annotations

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import base_arguments


class RMSprop(Optimizer):
    """RMSprop, with optional momentum and centering.

    With slots `v` (`velocity`), `a` (`average_gradient`, centered only) and
    `m` (`momentum`, when `momentum > 0`):

    ```
    v = rho * v + (1 - rho) * g ** 2
    a = rho * a + (1 - rho) * g               # centered only
    d = v + epsilon                           # v - a ** 2 + epsilon centered
    step = learning_rate * g / sqrt(d)
    m = momentum * m + step; w -= m           # momentum > 0
    w -= step                                 # otherwise
    ```

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        rho: the discounting factor of the gradient history.
        momentum: the momentum; 0 disables the momentum slot.
        epsilon: added inside the square root for numerical stability.
        centered: normalize by the estimated variance of the gradient
            rather than its second moment.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: the base `Optimizer`
            arguments, in Keras's order.

    Reference:
    - [Hinton, 2012](http://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.RMSprop(learning_rate=0.1)
    >>> opt.apply([torch.tensor([1.0])], [w])
    >>> round(w.item(), 4)
    0.6838
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
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
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(
                variables, "momentum"
            )
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(
                variables, "average_gradient"
            )

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        rho = self.rho
        velocities = slots["velocity"]
        torch._foreach_mul_(velocities, rho)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - rho)
        denominators = torch._foreach_add(velocities, self.epsilon)
        if self.centered:
            averages = slots["average_gradient"]
            torch._foreach_mul_(averages, rho)
            torch._foreach_add_(averages, grads, alpha=1 - rho)
            torch._foreach_addcmul_(denominators, averages, averages, value=-1)
        torch._foreach_sqrt_(denominators)
        increments = torch._foreach_mul(grads, learning_rate)
        torch._foreach_div_(increments, denominators)
        if self.momentum > 0:
            momentums = slots["momentum"]
            torch._foreach_mul_(momentums, self.momentum)
            torch._foreach_add_(momentums, increments)
            torch._foreach_sub_(variables, momentums)
        else:
            torch._foreach_sub_(variables, increments)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
