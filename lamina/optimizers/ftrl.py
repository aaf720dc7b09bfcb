"""FTRL: Follow The Regularized Leader."""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import invalid_argument
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import base_arguments

_NON_NEGATIVE = (
    "initial_accumulator_value",
    "l1_regularization_strength",
    "l2_regularization_strength",
    "l2_shrinkage_regularization_strength",
)


class Ftrl(Optimizer):
    """FTRL-proximal, with online L1/L2 and L2 shrinkage regularization.

    With slots `n` (`accumulator`, starting at `initial_accumulator_value`)
    and `z` (`linear`), `p = -learning_rate_power` and
    `l2 = l2_regularization_strength + beta / (2 * learning_rate)`:

    ```
    g_s = g + 2 * l2_shrinkage_regularization_strength * w
    n_new = n + g ** 2
    z += g_s - (n_new ** p - n ** p) / learning_rate * w
    q = n_new ** p / learning_rate + 2 * l2
    w = (clip(z, -l1, l1) - z) / q
    n = n_new
    ```

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        learning_rate_power: how the rate decreases; `<= 0` (0 for a fixed
            rate).
        initial_accumulator_value: the accumulators' start; `>= 0`.
        l1_regularization_strength: L1 strength; `>= 0`.
        l2_regularization_strength: L2 (stabilization) strength; `>= 0`.
        l2_shrinkage_regularization_strength: L2 shrinkage (magnitude)
            strength; `>= 0`.
        beta: the paper's beta.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: the base `Optimizer`
            arguments, in Keras's order.

    Reference:
    - [McMahan et al., 2013](https://research.google.com/pubs/archive/41159.pdf)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.Ftrl(learning_rate=0.1)
    >>> opt.apply([torch.tensor([1.0])], [w])
    >>> round(w.item(), 4)
    0.6031
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
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
        if learning_rate_power > 0.0:
            raise ValueError(
                invalid_argument(
                    type(self),
                    "learning_rate_power",
                    "a float <= 0",
                    learning_rate_power,
                )
            )
        strengths = dict(
            zip(
                _NON_NEGATIVE,
                (
                    initial_accumulator_value,
                    l1_regularization_strength,
                    l2_regularization_strength,
                    l2_shrinkage_regularization_strength,
                ),
            )
        )
        for arg, value in strengths.items():
            if value < 0.0:
                raise ValueError(
                    invalid_argument(type(self), arg, "a float >= 0", value)
                )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = (
            l2_shrinkage_regularization_strength
        )
        self.beta = beta

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulators, self._linears = self.add_optimizer_variables(
            variables,
            ["accumulator", "linear"],
            initializer=[float(self.initial_accumulator_value), "zeros"],
        )

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        accumulators, linears = slots["accumulator"], slots["linear"]
        shrunk = torch._foreach_add(
            grads,
            variables,
            alpha=2 * self.l2_shrinkage_regularization_strength,
        )
        new_accumulators = torch._foreach_addcmul(accumulators, grads, grads)
        new_powers = torch._foreach_pow(new_accumulators, power)
        sigma = torch._foreach_sub(
            new_powers, torch._foreach_pow(accumulators, power)
        )
        torch._foreach_div_(sigma, learning_rate)
        torch._foreach_mul_(sigma, variables)
        torch._foreach_add_(linears, torch._foreach_sub(shrunk, sigma))
        quadratic = torch._foreach_div(new_powers, learning_rate)
        torch._foreach_add_(quadratic, 2 * l2)
        clipped = torch._foreach_clamp_max(
            torch._foreach_clamp_min(linears, -l1), l1
        )
        torch._foreach_sub_(clipped, linears)
        torch._foreach_div_(clipped, quadratic)
        torch._foreach_copy_(variables, clipped)
        torch._foreach_copy_(accumulators, new_accumulators)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
