"""Where a new weight lives: the seam through which a distribution
(`lamina.distribution.ModelParallel`) shards weights as layers create
them, as Keras lays out each variable it creates under a distribution.

`engine.weights.add_weight` passes every new `Variable` (named, with its
path) to `place`; with no placer registered it is returned as it is.
`lamina.distribution` registers its placer when imported.
"""

from __future__ import annotations

from typing import Any, Callable

_PLACER: list[Callable[[Any], Any]] = []


def set_placer(placer: Callable[[Any], Any]) -> None:
    """Make `placer(variable) -> tensor` decide where new weights live."""
    _PLACER[:] = [placer]


def place(variable: Any) -> Any:
    """The weight to register for `variable` (itself, or a sharded copy)."""
    return _PLACER[0](variable) if _PLACER else variable
