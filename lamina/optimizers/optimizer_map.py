"""`OptimizerMap`: which optimizer updates which variable, by path."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

from lamina.saving import serialization

if TYPE_CHECKING:
    from lamina.optimizers.optimizer import Optimizer


class OptimizerMap(MutableMapping):
    """A mapping from variable paths (or regular expressions over them) to
    optimizers, with a default for every unmatched variable; the map a
    `MultiOptimizer` routes its variables with.

    A key matches a variable's `path` (e.g. `"sequential/dense/kernel"`)
    exactly, else as a pattern with `re.fullmatch`: `"encoder/.*"` covers
    everything under `encoder`, `"encoder"` only that exact path. A path
    matched by several patterns is an error.

    Args:
        default_optimizer: the `Optimizer` of unmatched variables.
        optimizer_map: optional dict `{path or pattern: Optimizer}`.

    Example:

    >>> from lamina import optimizers
    >>> adam, sgd = optimizers.Adam(), optimizers.SGD()
    >>> mapping = optimizers.OptimizerMap(optimizers.RMSprop())
    >>> mapping["encoder/layer_0/dense"] = adam
    >>> mapping["encoder/.*"] = sgd
    >>> mapping["encoder/layer_0/dense"] is adam
    True
    >>> mapping["encoder/layer_0/attention/query"] is sgd
    True
    >>> mapping["decoder/dense"] is mapping.default_optimizer
    True
    """

    def __init__(
        self, default_optimizer: Optimizer, optimizer_map: dict | None = None
    ):
        from lamina.optimizers.optimizer import Optimizer

        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(
                "OptimizerMap: `default_optimizer` must be a lamina "
                f"Optimizer instance. Received: default_optimizer="
                f"{default_optimizer!r}"
            )
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(
                "OptimizerMap: `optimizer_map` must be a dict. Received: "
                f"optimizer_map={optimizer_map!r}"
            )
        self._default_optimizer = default_optimizer
        self._optimizer_map = optimizer_map or {}

    @property
    def default_optimizer(self) -> Optimizer:
        return self._default_optimizer

    def __getitem__(self, key: str):
        """The optimizer of path `key`: an exact key, else the one pattern
        that fully matches, else the default."""
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matches) > 1:
            raise ValueError(
                f"Multiple optimizers assigned to variable {key}: the "
                f"patterns {matches} all match it."
            )
        if matches:
            return self._optimizer_map[matches[0]]
        return self._default_optimizer

    def __setitem__(self, key: str, optimizer) -> None:
        from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer
        from lamina.optimizers.multi_optimizer import MultiOptimizer
        from lamina.optimizers.optimizer import Optimizer

        if key in self._optimizer_map:
            raise ValueError(
                f"'{key}' already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]}. Please make sure to not use "
                "duplicated keys."
            )
        if not isinstance(key, str):
            raise ValueError(
                f"OptimizerMap: keys must be strings. Received: key={key!r}"
            )
        if not isinstance(optimizer, Optimizer):
            raise ValueError(
                "OptimizerMap: optimizer must be a lamina Optimizer "
                f"instance. Received: optimizer={optimizer!r}"
            )
        for cls in (LossScaleOptimizer, MultiOptimizer):
            if isinstance(optimizer, cls):
                raise ValueError(
                    f"OptimizerMap: optimizer cannot be {cls.__name__}. "
                    f"Received: optimizer={optimizer!r}"
                )
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key: str) -> None:
        del self._optimizer_map[key]

    def __len__(self) -> int:
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable: Any) -> Optimizer:
        """The optimizer of `variable`, by its `path`."""
        return self[variable.path]

    def get_config(self) -> dict:
        return {
            "default_optimizer": serialization.serialize_keras_object(
                self._default_optimizer
            ),
            "optimizer_map": serialization.serialize_keras_object(
                self._optimizer_map
            ),
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: Any = None
    ) -> OptimizerMap:
        default_optimizer, optimizer_map = (
            serialization.deserialize_keras_object(
                config[key], custom_objects=custom_objects
            )
            for key in ("default_optimizer", "optimizer_map")
        )
        return cls(default_optimizer, optimizer_map)
