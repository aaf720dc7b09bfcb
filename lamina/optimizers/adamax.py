"""Adamax: Adam with the infinity norm."""

from __future__ import annotations

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import base_arguments
from lamina.optimizers.iteration_counter import keras_constant


class Adamax(Optimizer):
    """Adamax, the infinity-norm variant of Adam.

    With `t = iterations + 1` and slots `m` (`momentum`) and `u` (`norm`):

    ```
    m = beta_1 * m + (1 - beta_1) * g
    u = max(beta_2 * u, abs(g))
    w -= learning_rate * m / ((1 - beta_1 ** t) * (u + epsilon))
    ```

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        beta_1: the decay rate of the first-moment estimate.
        beta_2: the decay rate of the weighted infinity norm.
        epsilon: added to `u` for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: the base `Optimizer`
            arguments, in Keras's order.

    Reference:
    - [Kingma et al., 2014](http://arxiv.org/abs/1412.6980), section 7.1

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.Adamax(learning_rate=0.1)
    >>> opt.apply([torch.tensor([2.0])], [w])
    >>> round(w.item(), 4)
    0.9
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._m, self._u = self.add_optimizer_variables(
            variables, ["momentum", "norm"]
        )

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        t = self._current_iterations() + 1
        beta_1 = keras_constant(self.beta_1, variables[0])
        m, u = slots["momentum"], slots["norm"]
        torch._foreach_mul_(m, self.beta_1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(u, self.beta_2)
        torch._foreach_maximum_(u, torch._foreach_abs(grads))
        updates = torch._foreach_mul(m, learning_rate)
        denominators = torch._foreach_add(u, self.epsilon)
        torch._foreach_mul_(denominators, 1 - beta_1**t)
        torch._foreach_div_(updates, denominators)
        torch._foreach_sub_(variables, updates)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
