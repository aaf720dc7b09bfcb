"""Decoupled weight decay, and which variables it skips.

Keras applies weight decay, for every optimizer given `weight_decay`, as
`variable *= 1 - weight_decay * learning_rate` before the update.
`exclude_from_weight_decay` removes variables by identity or by name.
"""

from __future__ import annotations

from typing import Any

import re
from typing import Sequence

import torch

from lamina.optimizers.optimizer_variables import short_name


class WeightDecayMask:
    """Which of the built variables weight decay applies to.

    Example:

    >>> import torch
    >>> from lamina.optimizers.weight_decay import WeightDecayMask
    >>> w, b = torch.ones(2), torch.ones(1)
    >>> b.path = "dense/bias"
    >>> mask = WeightDecayMask()
    >>> mask.exclude(var_names=["bias"])
    >>> mask.refresh([w, b])
    >>> mask.flags
    [True, False]
    """

    def __init__(self):
        self._ids: set[int] = set()
        self._pattern: re.Pattern | None = None
        self.flags: list[bool] = []
        self._decayed: list[torch.Tensor] = []

    def exclude(
        self,
        var_list: Sequence[torch.Tensor] | None = None,
        var_names: Sequence[str] | None = None,
    ) -> None:
        """Replace the exclusions (as Keras does, a new call overrides)."""
        self._ids = {id(v) for v in var_list or ()}
        self._pattern = (
            re.compile("|".join(set(var_names))) if var_names else None
        )

    def uses_decay(self, variable: torch.Tensor) -> bool:
        if id(variable) in self._ids:
            return False
        if self._pattern is not None:
            # Keras matches `variable.name` ("bias"), not the path.
            if self._pattern.search(short_name(variable)) is not None:
                return False
        return True

    def refresh(self, variables: Sequence[torch.Tensor]) -> None:
        """Recompute the flags for the built variable list."""
        self.flags = [self.uses_decay(v) for v in variables]
        self._decayed = [v for v, f in zip(variables, self.flags) if f]

    def apply(
        self,
        variables: list,
        indices: Any,
        weight_decay: float,
        learning_rate: Any,
    ) -> None:
        """Decay `variables` (all built ones when `indices` is None)."""
        decayed = self._decayed
        if indices is not None:
            decayed = [v for v, i in zip(variables, indices) if self.flags[i]]
        if decayed:
            torch._foreach_mul_(decayed, 1 - weight_decay * learning_rate)
