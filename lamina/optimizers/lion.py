"""Lion: sign-based momentum descent."""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import invalid_argument
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import base_arguments


class Lion(Optimizer):
    """Lion (evoLved sIgn mOmeNtum).

    With the slot `m` (`momentum`):

    ```
    w -= learning_rate * sign(beta_1 * m + (1 - beta_1) * g)
    m = beta_2 * m + (1 - beta_2) * g
    ```

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        beta_1: the rate combining the gradient and the momentum for the
            update; in `(0, 1]`.
        beta_2: the decay rate of the momentum.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: the base `Optimizer`
            arguments, in Keras's order.

    Reference:
    - [Chen et al., 2023](http://arxiv.org/abs/2302.06675)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.Lion(learning_rate=0.1)
    >>> opt.apply([torch.tensor([5.0])], [w])
    >>> round(w.item(), 4)
    0.9
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.99,
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
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                invalid_argument(
                    type(self),
                    "beta_1",
                    "a float in (0, 1] (at 0 Lion degenerates to SignSGD)",
                    beta_1,
                )
            )
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums = self.add_optimizer_variables(variables, "momentum")

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        m = slots["momentum"]
        directions = torch._foreach_mul(m, self.beta_1)
        torch._foreach_add_(directions, grads, alpha=1 - self.beta_1)
        directions = torch._foreach_sign(directions)
        torch._foreach_mul_(directions, learning_rate)
        torch._foreach_sub_(variables, directions)
        torch._foreach_mul_(m, self.beta_2)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_2)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
        }
