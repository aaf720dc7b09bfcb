"""`MultiOptimizer`: each variable updated by the optimizer a map picks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

import torch

from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer
from lamina.optimizers.optimizer import Optimizer
from lamina.saving import serialization

if TYPE_CHECKING:
    from lamina.optimizers.optimizer_map import OptimizerMap


class MultiOptimizer(Optimizer):
    """An optimizer that hands each variable to another optimizer.

    `optimizer_map` is an `OptimizerMap` (variable path or pattern ->
    optimizer, with a default) or any callable `variable -> Optimizer`.
    `build` routes every variable once and builds each sub-optimizer on its
    share; `apply` then splits the gradients the same way. Its
    `iterations` count its own steps; `variables` are its own
    (`iteration`, `learning_rate`) followed by each sub-optimizer's, in
    the order of `optimizers` (the map's values, then its default, then
    optimizers first returned by a callable), Keras's order in files. It
    has no learning rate of its own: reading or setting `learning_rate`
    is an error, set it on the sub-optimizers.

    Args:
        optimizer_map: an `OptimizerMap` or a callable returning the
            optimizer of a variable (neither a `LossScaleOptimizer` nor a
            `MultiOptimizer`).
        loss_scale_factor: the loss scale, also given to every
            sub-optimizer (which divides its gradients by it).
        name: the optimizer's name.

    Example:

    >>> import torch, lamina
    >>> from lamina import optimizers
    >>> enc, dec = torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(
    ...     torch.ones(2))
    >>> enc.path, dec.path = "model/encoder/kernel", "model/decoder/kernel"
    >>> mapping = optimizers.OptimizerMap(
    ...     optimizers.SGD(0.5), {"model/encoder/.*": optimizers.SGD(0.25)})
    >>> opt = optimizers.MultiOptimizer(mapping)
    >>> opt.apply([torch.ones(2), torch.ones(2)], [enc, dec])
    >>> enc.data, dec.data
    (tensor([0.7500, 0.7500]), tensor([0.5000, 0.5000]))
    """

    def __init__(
        self,
        optimizer_map: OptimizerMap | Callable,
        loss_scale_factor: float | None = None,
        name: str | None = None,
    ):
        super().__init__(
            learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name
        )
        self._optimizer_map = optimizer_map
        self._inner_optimizers: list = []
        candidates = list(getattr(optimizer_map, "values", list)())
        default = getattr(optimizer_map, "default_optimizer", None)
        for opt in candidates + ([] if default is None else [default]):
            self._adopt(opt)

    def _adopt(self, optimizer) -> int:
        """The index of `optimizer` in `optimizers`, added (with this
        loss scale) when new; identity, not equality, decides."""
        for i, opt in enumerate(self._inner_optimizers):
            if opt is optimizer:
                return i
        optimizer.loss_scale_factor = self.loss_scale_factor
        self._inner_optimizers.append(optimizer)
        return len(self._inner_optimizers) - 1

    def build(self, variables: Sequence[torch.Tensor]) -> None:
        if self.built:
            return
        variables = list(variables)
        self._routes: dict[int, int] = {}
        for var in variables:
            self._routes[id(var)] = self._adopt(self._checked(var))
        for i, opt in enumerate(self._inner_optimizers):
            share = [v for v in variables if self._routes[id(v)] == i]
            if share:
                opt.build(share)
        super().build(variables)

    def _checked(self, variable):
        opt = self._optimizer_map(variable)
        path = getattr(variable, "path", "variable")
        if not isinstance(opt, Optimizer):
            raise ValueError(
                f"MultiOptimizer '{self.name}': the optimizer map returned "
                f"{opt!r} for variable '{path}', not an Optimizer instance."
            )
        for cls in (LossScaleOptimizer, MultiOptimizer):
            if isinstance(opt, cls):
                raise ValueError(
                    f"MultiOptimizer '{self.name}': {cls.__name__} cannot be "
                    f"used inside a MultiOptimizer (variable '{path}')."
                )
        return opt

    @property
    def optimizers(self) -> list:
        """The sub-optimizers, in Keras's order."""
        return self._inner_optimizers

    @property
    def variables(self) -> list[torch.Tensor]:
        own = list(self._variables)
        return own + [v for o in self._inner_optimizers for v in o.variables]

    @property
    def variable_names(self) -> list[str]:
        own = list(self._variable_names)
        return own + [
            n for o in self._inner_optimizers for n in o.variable_names
        ]

    @property
    def learning_rate(self) -> Any:
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access "
            "the learning rate on the individual sub-optimizers instead."
        )

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        raise AttributeError(
            "Learning rate cannot be set on a MultiOptimizer. Set the "
            "learning rate on the individual sub-optimizers instead."
        )

    @property
    def loss_scale_factor(self) -> float | None:
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value: float | None) -> None:
        self._loss_scale_factor = value
        for opt in getattr(self, "_inner_optimizers", ()):
            opt.loss_scale_factor = value

    @torch.no_grad()
    def apply(
        self, grads: list, trainable_variables: list | None = None
    ) -> None:
        """Apply each gradient with its variable's optimizer; one gradient
        per variable the optimizer was built with, in any order."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            self._require_built("apply")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(self._routes):
            raise ValueError(
                f"MultiOptimizer '{self.name}': gradients must match the "
                f"trainable variables one-to-one. Received {len(grads)} "
                f"gradients and {len(self._routes)} variables."
            )
        for i, share in enumerate(self._split(grads, trainable_variables)):
            if share:
                sub_grads, sub_vars = zip(*share)
                self._inner_optimizers[i].apply(list(sub_grads), list(sub_vars))
        self._iterations.increment()

    def _split(self, values: list, variables: list) -> list:
        """`[(value, variable), ...]` for each sub-optimizer."""
        shares: list = [[] for _ in self._inner_optimizers]
        for value, var in zip(values, variables):
            shares[self._routes[id(var)]].append((value, var))
        return shares

    def finalize_variable_values(self, var_list: list) -> None:
        var_list = list(var_list)
        for i, share in enumerate(self._split(var_list, var_list)):
            if share:
                self._inner_optimizers[i].finalize_variable_values(
                    [v for v, _ in share]
                )

    def get_config(self) -> dict:
        return {
            "optimizer_map": serialization.serialize_keras_object(
                self._optimizer_map
            ),
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: Any = None
    ) -> MultiOptimizer:
        config = dict(config)
        config["optimizer_map"] = serialization.deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(**config)
