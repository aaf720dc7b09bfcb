"""Lamb: Adam's update rescaled per variable by a trust ratio."""

from __future__ import annotations

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer


class Lamb(Optimizer):
    """Lamb (layer-wise adaptive moments for large-batch training).

    Each variable takes Adam's bias-corrected step, rescaled by the ratio
    of the variable's norm to the step's norm (1 when either is zero), so
    every layer moves by a similar relative amount:

    ```
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g ** 2
    u = (m / (1 - beta_1 ** t)) / (sqrt(v / (1 - beta_2 ** t)) + epsilon)
    w -= learning_rate * (||w|| / ||u||) * u
    ```

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        beta_1: decay rate of the first moment.
        beta_2: decay rate of the second moment.
        epsilon: added to the root of the second moment.
        **kwargs: the base `Optimizer` arguments.

    Reference:
    - [You et al., 2019](https://arxiv.org/abs/1904.00962)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([3.0, 4.0]))
    >>> opt = lamina.optimizers.Lamb(learning_rate=0.1)
    >>> opt.apply([torch.tensor([1.0, 0.0])], [w])
    >>> [round(x, 3) for x in w.tolist()]
    [2.5, 4.0]
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
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        t = self._current_iterations() + 1
        for g, w, m, v in zip(
            grads, variables, slots["momentum"], slots["velocity"]
        ):
            # Keras raises the betas, cast to the variable's dtype, to the
            # (float) step.
            step = torch.as_tensor(t, dtype=w.dtype, device=w.device)
            beta_1_power = torch.tensor(self.beta_1, dtype=w.dtype) ** step
            beta_2_power = torch.tensor(self.beta_2, dtype=w.dtype) ** step
            m.add_((g - m) * (1 - self.beta_1))
            v.add_((g * g - v) * (1 - self.beta_2))
            update = (m / (1 - beta_1_power)) / (
                torch.sqrt(v / (1 - beta_2_power)) + self.epsilon
            )
            w_norm = torch.sqrt(torch.sum(w * w))
            u_norm = torch.sqrt(torch.sum(update * update))
            ratio = torch.where(
                (w_norm > 0) & (u_norm > 0),
                w_norm / u_norm,
                torch.ones_like(w_norm),
            )
            w.sub_(ratio * learning_rate * update)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
