"""AdamW: Adam with decoupled weight decay."""

from __future__ import annotations

from typing import Any

from lamina.errors import invalid_argument
from lamina.optimizers.adam import Adam


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
        **kwargs: the base `Optimizer` arguments.

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
        **kwargs: Any,
    ):
        if weight_decay is None:
            raise ValueError(invalid_argument(
                type(self), "weight_decay", "a float", weight_decay))
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            weight_decay=weight_decay,
            **kwargs,
        )
