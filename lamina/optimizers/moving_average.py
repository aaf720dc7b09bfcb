"""The exponential moving average of the model's variables (`use_ema`)."""

from __future__ import annotations

from typing import Any

import torch


def update(
    averages: list[torch.Tensor],
    variables: list[torch.Tensor],
    step: Any,
    momentum: float,
    overwrite_frequency: int | None,
) -> None:
    """Keras's EMA step: `avg = m * avg + (1 - m) * var`.

    `m` is 0 at step 0 (the average starts as the variable) and `momentum`
    after. Every `overwrite_frequency` steps the variables are overwritten
    with their averages. `step` is a Python int in eager mode, so the
    overwrite is a plain branch; a step tensor (under `torch.compile`)
    splits the traced graph there.

    Example:

    >>> import torch
    >>> from lamina.optimizers import moving_average
    >>> avg, var = [torch.zeros(1)], [torch.ones(1)]
    >>> moving_average.update(avg, var, step=1, momentum=0.75,
    ...                       overwrite_frequency=None)
    >>> avg
    [tensor([0.2500])]
    """
    m = momentum * (step != 0)
    torch._foreach_mul_(averages, m)
    torch._foreach_add_(averages, torch._foreach_mul(variables, 1 - m))
    if overwrite_frequency and (step + 1) % overwrite_frequency == 0:
        torch._foreach_copy_(variables, averages)
