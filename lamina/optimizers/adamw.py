"""AdamW: Adam with decoupled weight decay."""

from __future__ import annotations

from typing import Any

from lamina.errors import invalid_argument
from lamina.optimizers.adam import Adam
from lamina.optimizers.optimizer import base_arguments


class AdamW(Adam):
    """Adam with decoupled weight decay, on by default.

    Every step first decays each variable, `w *= 1 - weight_decay *
    learning_rate` (skipping those excluded with
    `exclude_from_weight_decay`), then applies the `Adam` update.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to 0.001.
        weight_decay: the decay rate; required. Defaults to 0.004.
        beta_1: the decay rate of the first-moment estimate.
        beta_2: the decay rate of the second-moment estimate.
        epsilon: added to `sqrt(v)` for numerical stability.
        amsgrad: whether to use the AMSGrad variant.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: the base `Optimizer`
            arguments, in Keras's order.

    Reference:
    - [Loshchilov et al., 2019](https://arxiv.org/abs/1711.05101)

    Example:

    >>> import torch, lamina
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = lamina.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    >>> opt.apply([torch.tensor([0.0])], [w])
    >>> round(w.item(), 4)
    0.95
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
        if weight_decay is None:
            raise ValueError(
                invalid_argument(
                    type(self), "weight_decay", "a float", weight_decay
                )
            )
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            **base_arguments(locals()),
            **kwargs,
        )
