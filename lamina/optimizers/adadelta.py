"""Adadelta: adaptive learning rates from a window of past updates."""

from __future__ import annotations

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import base_arguments


class Adadelta(Optimizer):
    """Adadelta.

    With slots `eg` (`accumulated_grad`) and `ed`
    (`accumulated_delta_var`):

    ```
    eg = rho * eg + (1 - rho) * g ** 2
    delta = -sqrt(ed + epsilon) * g / sqrt(eg + epsilon)
    ed = rho * ed + (1 - rho) * delta ** 2
    w += learning_rate * delta
    ```

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001
            (1.0 matches the paper).
        rho: the decay rate.
        epsilon: added inside the square roots for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: the base `Optimizer`
            arguments, in Keras's order.

    Reference:
    - [Zeiler, 2012](http://arxiv.org/abs/1212.5701)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.Adadelta(learning_rate=1.0)
    >>> opt.apply([torch.tensor([1.0])], [w])
    >>> round(w.item(), 6)
    0.998586
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
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
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = (
            self.add_optimizer_variables(
                variables, ["accumulated_grad", "accumulated_delta_var"]
            )
        )

    def _rms(self, tensors: list) -> list:
        out = torch._foreach_add(tensors, self.epsilon)
        torch._foreach_sqrt_(out)
        return out

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        rho = self.rho
        grad_avg = slots["accumulated_grad"]
        delta_avg = slots["accumulated_delta_var"]
        torch._foreach_mul_(grad_avg, rho)
        torch._foreach_addcmul_(grad_avg, grads, grads, value=1 - rho)
        deltas = torch._foreach_mul(self._rms(delta_avg), grads)
        torch._foreach_div_(deltas, self._rms(grad_avg))
        torch._foreach_neg_(deltas)
        torch._foreach_mul_(delta_avg, rho)
        torch._foreach_addcmul_(delta_avg, deltas, deltas, value=1 - rho)
        torch._foreach_add_(
            variables, torch._foreach_mul(deltas, learning_rate)
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rho": self.rho,
            "epsilon": self.epsilon,
        }
