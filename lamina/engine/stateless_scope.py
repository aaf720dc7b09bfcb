"""`StatelessScope`: run code on given variable values, keeping updates
aside instead of applying them (Keras's `keras.StatelessScope`)."""

from __future__ import annotations

import threading
from typing import Any

import torch

_local = threading.local()


def get_stateless_scope() -> StatelessScope | None:
    """The innermost open `StatelessScope` of this thread, or None."""
    stack = getattr(_local, "stack", None)
    return stack[-1] if stack else None


def in_stateless_scope() -> bool:
    return get_stateless_scope() is not None


class StatelessScope:
    """A scope in which variables read the values of `state_mapping` and
    updates are collected rather than applied.

    lamina's variables are tensors that layers read directly, so on entry
    each mapped variable's storage is swapped for (a copy of) its mapped
    value, and on exit swapped back: the variables are as before, and the
    values they ended with (updated in place by `assign`, `assign_add`,
    or a layer's own in-place update such as `BatchNormalization`'s moving
    statistics) are read with `get_current_value`. A `Variable.assign*`
    on an unmapped variable inside the scope is collected the same way;
    a torch in-place op on an unmapped variable is not intercepted, so map
    every variable whose updates must be kept aside (Keras's usual
    `[(v, value) for v in model.weights]`). Gradients do not flow from
    the outputs back to the mapped values.

    Args:
        state_mapping: a list of `(variable, value)` pairs; each value is
            converted to its variable's dtype and must have its shape.
        collect_losses: whether losses that layers add inside the scope
            are collected in `scope.losses` (otherwise they are dropped;
            either way `layer.losses` does not get them), as in Keras.
        initialize_variables: kept for Keras compatibility: lamina's
            variables are created initialized.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Dense(1, use_bias=False)
    >>> layer.build((None, 2))
    >>> mapping = [(layer.kernel, torch.full((2, 1), 3.0))]
    >>> with lamina.StatelessScope(mapping) as scope:
    ...     out = layer(torch.ones(1, 2))
    ...     _ = layer.kernel.assign(torch.zeros(2, 1))
    >>> out.item()
    6.0
    >>> scope.get_current_value(layer.kernel).flatten()
    tensor([0., 0.])
    >>> bool((layer.kernel != 0).all())
    True
    """

    def __init__(
        self,
        state_mapping: Any = None,
        collect_losses: bool = False,
        initialize_variables: bool = True,
    ):
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses: list[Any] = []
        self.state_mapping: dict[int, torch.Tensor] = {}
        self._variables: dict[int, Any] = {}
        self._stashed: dict[int, torch.Tensor] = {}
        for k, v in state_mapping or []:
            if not isinstance(k, torch.nn.Parameter):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: all keys "
                    "in argument `mapping` must be Variable instances. "
                    f"Received instead: {k!r}"
                )
            v = torch.as_tensor(v, dtype=k.dtype, device=k.device).detach()
            if k.shape != v.shape:
                raise ValueError(
                    "Invalid variable value in StatelessScope: all values in "
                    "argument `mapping` must be tensors with a shape that "
                    "matches the corresponding variable shape. For variable "
                    f"{getattr(k, 'path', None)}, received invalid value "
                    f"with shape {tuple(v.shape)}; expected "
                    f"{tuple(k.shape)}."
                )
            self.state_mapping[id(k)] = v
            self._variables[id(k)] = k

    def __enter__(self) -> StatelessScope:
        if getattr(_local, "stack", None) is None:
            _local.stack = []
        _local.stack.append(self)
        for key, variable in self._variables.items():
            self._swap_in(variable, self.state_mapping[key].clone())
        return self

    def _swap_in(self, variable: Any, value: torch.Tensor) -> None:
        if id(variable) not in self._stashed:
            self._stashed[id(variable)] = variable.data
            self._variables[id(variable)] = variable
        variable.data = value

    def track(self, variable: Any) -> None:
        """Make later in-place updates of `variable` go to a scoped copy
        (called by `Variable.assign*` inside the scope)."""
        if id(variable) not in self._stashed:
            self._swap_in(variable, variable.data.clone())

    def add_loss(self, loss: Any) -> None:
        self.losses.append(loss)

    def add_update(self, update: Any) -> None:
        """Record `(variable, value)` as the variable's value."""
        variable, value = update
        self.track(variable)
        variable.data = torch.as_tensor(
            value, dtype=variable.dtype, device=variable.device
        )

    def get_current_value(self, variable: Any) -> Any:
        """The value `variable` has in this scope (its mapped value as
        updated), or None when the scope never saw it."""
        if id(variable) in self._stashed and get_stateless_scope() is self:
            return variable.data
        return self.state_mapping.get(id(variable), None)

    def __exit__(self, *exc: object) -> None:
        _local.stack.pop()
        for key, original in self._stashed.items():
            variable = self._variables[key]
            self.state_mapping[key] = variable.data
            variable.data = original
        self._stashed.clear()
