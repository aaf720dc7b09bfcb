"""ScheduleFreeAdamW: AdamW without a learning-rate schedule, by
averaging iterates."""

from __future__ import annotations

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW (Defazio et al., 2024).

    The optimizer keeps a base sequence `z` (the `momentum` slot, started
    at the weights) that takes Adam-scaled gradient steps, and an average
    `x` of it; the model's weights hold the interpolation
    `y = (1 - beta_1) * z + beta_1 * x`, at which gradients are taken.
    With `c = 1 / t`:

    ```
    v = beta_2 * v + (1 - beta_2) * g ** 2
    z_new = z - lr * g / (sqrt(v / (1 - beta_2 ** t)) + epsilon)
    x = (y - (1 - beta_1) * z) / beta_1            # before the update
    x = (1 - c) * x + c * z_new
    y = (1 - beta_1) * z_new + beta_1 * x
    ```

    `lr` ramps linearly over the first `warmup_steps` steps. No schedule
    is needed; evaluating at the average `x` instead of `y` is the
    paper's recommendation and is left to the user, as in Keras.

    Keras's torch backend differs: it reads the pre-update `z` through an
    alias of the slot that the in-place update has already changed, so
    there `x` is computed from `z_new` and its numbers differ from its
    JAX and TensorFlow backends. lamina follows the algorithm above (the
    JAX/TensorFlow numbers).

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to
            0.0025.
        beta_1: interpolation between the base sequence and its average.
        beta_2: decay rate of the second moment.
        epsilon: added to the root of the second moment.
        warmup_steps: steps over which the learning rate ramps up from 0.
        **kwargs: the base `Optimizer` arguments.

    Reference:
    - [Defazio et al., 2024](https://arxiv.org/abs/2405.15682)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0, -1.0]))
    >>> opt = lamina.optimizers.ScheduleFreeAdamW(learning_rate=0.1)
    >>> opt.apply([torch.tensor([1.0, 1.0])], [w])
    >>> [round(x, 3) for x in w.tolist()]
    [0.9, -1.1]
    """

    def __init__(
        self,
        learning_rate: Any = 0.0025,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        warmup_steps: int = 0,
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
        self.warmup_steps = warmup_steps

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        with torch.no_grad():
            # The base sequence `z` starts at the weights.
            for z, w in zip(self._momentums, variables):
                if z is not None:
                    z.copy_(w)

    def batched_update_step(
        self, grads: Any, variables: Any, learning_rate: Any, slots: Any
    ) -> None:
        t = float(self._current_iterations() + 1)
        lr = learning_rate
        if self.warmup_steps > 0:
            lr = lr * min(t / self.warmup_steps, 1.0)
        b1, b2 = self.beta_1, self.beta_2
        c = 1.0 / t
        for g, w, z, v in zip(
            grads, variables, slots["momentum"], slots["velocity"]
        ):
            g = g.to(w.dtype)
            x = (w - (1 - b1) * z) / b1  # from the pre-update `z`
            v.add_((g * g - v) * (1 - b2))
            denom = torch.sqrt(v / (1 - b2**t)) + self.epsilon
            z.sub_(lr * g / denom)
            x = (1 - c) * x + c * z
            w.copy_((1 - b1) * z + b1 * x)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "warmup_steps": self.warmup_steps,
        }
