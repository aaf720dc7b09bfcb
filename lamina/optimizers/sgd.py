"""Stochastic gradient descent, with optional (Nesterov) momentum."""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import invalid_argument
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import base_arguments


class SGD(Optimizer):
    """Gradient descent with momentum.

    With `momentum == 0`: `w -= learning_rate * g`. Otherwise, with a
    velocity slot `m` (named `momentum`, zero at start):

    ```
    m = momentum * m - learning_rate * g
    w += m                                    # nesterov=False
    w += momentum * m - learning_rate * g     # nesterov=True
    ```

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.01.
        momentum: a float in `[0, 1]` that accelerates descent in the
            relevant direction and dampens oscillations. Defaults to 0.
        nesterov: whether to apply Nesterov momentum.
        **kwargs: the base `Optimizer` arguments (`weight_decay`,
            `clipnorm`, `use_ema`, `name`, ...).

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.apply([torch.tensor([1.0])], [w])
    >>> round(w.item(), 4)
    0.71
    """

    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
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
        if not isinstance(momentum, float) or not 0 <= momentum <= 1:
            raise ValueError(
                invalid_argument(
                    type(self), "momentum", "a float in [0, 1]", momentum
                )
            )
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        if self.momentum == 0:
            torch._foreach_sub_(
                variables, torch._foreach_mul(grads, learning_rate)
            )
            return
        momentums = slots["momentum"]
        scaled = torch._foreach_mul(grads, learning_rate)
        torch._foreach_mul_(momentums, self.momentum)
        torch._foreach_sub_(momentums, scaled)
        if self.nesterov:
            torch._foreach_sub_(variables, scaled)
            torch._foreach_add_(variables, momentums, alpha=self.momentum)
        else:
            torch._foreach_add_(variables, momentums)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "momentum": self.momentum,
            "nesterov": self.nesterov,
        }
