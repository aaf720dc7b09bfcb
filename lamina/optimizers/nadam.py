"""Nadam: Adam with Nesterov momentum."""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import base_arguments
from lamina.optimizers.iteration_counter import keras_constant


class Nadam(Optimizer):
    """Nadam, Adam with Nesterov momentum and a momentum schedule.

    With `t = iterations + 1`, slots `m` (`momentum`), `v` (`velocity`) and
    the running product `u_prod` of the momentum schedule (a scalar
    variable starting at 1):

    ```
    u_t = beta_1 * (1 - 0.5 * 0.96 ** t);  u_next = same at t + 1
    u_prod = u_prod * u_t
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g ** 2
    m_hat = u_next * m / (1 - u_prod * u_next) + (1 - u_t) * g / (1 - u_prod)
    v_hat = v / (1 - beta_2 ** t)
    w -= learning_rate * m_hat / (sqrt(v_hat) + epsilon)
    ```

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        beta_1: the decay rate of the first-moment estimate.
        beta_2: the decay rate of the second-moment estimate.
        epsilon: added to `sqrt(v_hat)` for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: the base `Optimizer`
            arguments, in Keras's order.

    Reference:
    - [Dozat, 2015](http://cs229.stanford.edu/proj2015/054_report.pdf)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.Nadam(learning_rate=0.1)
    >>> opt.apply([torch.tensor([2.0])], [w])
    >>> round(w.item(), 4)
    0.8937
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
        dtype = (
            variables[0].dtype if variables else getattr(torch, config.floatx())
        )
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        self._u_product = self.add_variable(
            (), initializer=1.0, dtype=dtype, name="variable"
        )

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        t = self._current_iterations() + 1
        beta_1 = keras_constant(self.beta_1, variables[0])
        beta_2 = keras_constant(self.beta_2, variables[0])
        decay = keras_constant(0.96, variables[0])
        u_t = beta_1 * (1.0 - 0.5 * decay**t)
        u_next = beta_1 * (1.0 - 0.5 * decay ** (t + 1))
        u_product = self._u_product * u_t
        u_product_next = u_product * u_next
        self._u_product.copy_(u_product)
        m, v = slots["momentum"], slots["velocity"]
        torch._foreach_mul_(m, self.beta_1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(v, self.beta_2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta_2)
        m_hat = torch._foreach_mul(m, u_next / (1 - u_product_next))
        torch._foreach_add_(
            m_hat, torch._foreach_mul(grads, (1 - u_t) / (1 - u_product))
        )
        denominators = torch._foreach_div(v, 1 - beta_2**t)
        torch._foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_mul_(m_hat, learning_rate)
        torch._foreach_div_(m_hat, denominators)
        torch._foreach_sub_(variables, m_hat)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
