"""The optimizer's own variables: creation, order, names, device, saving.

Optimizer variables are non-trainable `Variable`s named as Keras names
them (`.name` `"dense_kernel_momentum"`, `.path` `"adam/dense_kernel_momentum"`),
kept in one ordered list with a parallel list of names. The
order is Keras's: `iteration`, `learning_rate` (for a float learning rate),
then what `build` creates, one slot per variable at a time
(`kernel_momentum, kernel_velocity, bias_momentum, ...`). The `.weights.h5`
and `.keras` files store optimizer variables by their index in this list.
"""

from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np
import torch

from lamina import config
from lamina.engine.variable import Variable
from lamina.errors import format_shape
from lamina.optimizers.iteration_counter import IterationCounter
from lamina.runtime import weight_placement
from lamina.utils.dtype_utils import tensor_to_numpy


def build_optimizer(model: Any) -> None:
    """Build a compiled, built model's optimizer on its trainable weights,
    so that saved optimizer variables can be loaded into it."""
    optimizer = getattr(model, "optimizer", None)
    if (
        getattr(model, "built", False)
        and hasattr(optimizer, "build")
        and not getattr(optimizer, "built", True)
    ):
        optimizer.build(model._trainable_params())


def reference_name(variable: torch.Tensor) -> str:
    """A weight's Keras path (`"dense/kernel"`): its `path` attribute, else
    its `name` attribute, else `"variable"` for an anonymous tensor."""
    for attr in ("path", "name"):
        value = getattr(variable, attr, None)
        if isinstance(value, str) and value:
            return value
    return "variable"


def short_name(variable: torch.Tensor) -> str:
    """A weight's Keras name (`"kernel"`): its `name` attribute, else the
    last part of its path."""
    name = getattr(variable, "name", None)
    if isinstance(name, str) and name:
        return name
    return reference_name(variable).rsplit("/", 1)[-1]


def _initial_value(initializer: Any, reference: torch.Tensor) -> torch.Tensor:
    if isinstance(initializer, str) and initializer in ("zeros", "ones"):
        fill = 0.0 if initializer == "zeros" else 1.0
        return torch.full_like(reference, fill)
    if isinstance(initializer, (int, float)):
        return torch.full_like(reference, float(initializer))
    if callable(initializer):
        value = initializer(tuple(reference.shape), reference.dtype)
        return torch.as_tensor(
            value, dtype=reference.dtype, device=reference.device
        ).clone()
    raise ValueError(
        "Invalid value for argument `initializer` of add_variable: expected "
        "'zeros', 'ones', a number or a callable(shape, dtype). Received: "
        f"initializer={initializer!r}"
    )


class OptimizerVariables:
    """The variable store that `Optimizer` builds on (it relies on the
    optimizer's `name` and `built`)."""

    def _init_variable_store(self) -> None:
        self._variables: list[torch.Tensor] = []
        self._variable_names: list[str] = []
        self._slots: dict[str, list[torch.Tensor]] = {}
        self._device = torch.device("cpu")
        # Keras's first optimizer variable is the step counter.
        self._iterations = IterationCounter()
        self._iterations.tensor = self._track(
            self._iterations.tensor, "iteration"
        )

    def _track(
        self, tensor: torch.Tensor, name: str, position: int | None = None
    ) -> Variable:
        """Track `tensor` as the variable `name`; returns it as a
        non-trainable `Variable` sharing its storage (use the result)."""
        if not isinstance(tensor, Variable):
            tensor = Variable(tensor, requires_grad=False)
        # Plain attribute writes: torch.compile traces them (a lazy build
        # can happen inside a compiled step), not writes to `__dict__`.
        tensor._keras_name = name
        tensor._keras_path = f"{self.name}/{name}"
        position = len(self._variables) if position is None else position
        self._variables.insert(position, tensor)
        self._variable_names.insert(position, name)
        return tensor

    def _untrack(self, tensor: torch.Tensor) -> None:
        for i, v in enumerate(self._variables):
            if v is tensor:
                del self._variables[i]
                del self._variable_names[i]
                return

    @property
    def variables(self) -> list[torch.Tensor]:
        """All optimizer variables, in Keras's order (a new list)."""
        return list(self._variables)

    @property
    def variable_names(self) -> list[str]:
        """The Keras name of each entry of `variables`
        (`"iteration"`, `"learning_rate"`, `"dense_kernel_momentum"`...)."""
        return list(self._variable_names)

    def add_variable(
        self,
        shape: Sequence[int],
        initializer: Any = "zeros",
        dtype: Any = None,
        name: str | None = None,
    ) -> torch.Tensor:
        """Create and track one optimizer variable on the optimizer's
        device (`dtype` defaults to `floatx`)."""
        if isinstance(dtype, str):
            dtype = getattr(torch, dtype)
        dtype = dtype or getattr(torch, config.floatx())
        reference = torch.empty(tuple(shape), dtype=dtype, device=self._device)
        tensor = _initial_value(initializer, reference)
        return self._track(tensor, name or "variable")

    def add_variable_from_reference(
        self,
        reference_variable: torch.Tensor,
        name: str | None = None,
        initializer: Any = "zeros",
    ) -> torch.Tensor:
        """Create a variable shaped like `reference_variable`, named
        `{reference path with '/' as '_'}_{name}` as in Keras."""
        prefix = reference_name(reference_variable).replace("/", "_")
        tensor = _initial_value(initializer, reference_variable.detach())
        return self._track(tensor, f"{prefix}_{name or 'var'}")

    def _create_slots(
        self,
        variables: Sequence[torch.Tensor],
        names: Sequence[str],
        initializers=None,
    ) -> tuple:
        initializers = initializers or ["zeros"] * len(names)
        lists: tuple = tuple([] for _ in names)
        # Interleaved per variable, as Keras orders them.
        for variable in variables:
            for slot_list, name, init in zip(lists, names, initializers):
                slot_list.append(
                    self.add_variable_from_reference(
                        variable, name=name, initializer=init
                    )
                )
        return lists

    def add_optimizer_variables(
        self,
        trainable_variables: Sequence[torch.Tensor],
        name: str | Sequence[str],
        initializer: Any = "zeros",
    ) -> Any:
        """Create one slot per variable for each name in `name`.

        The slots are passed to `batched_update_step` under their name.
        Returns a list of slots for a single name, else a tuple of lists.
        """
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(initializer, (list, tuple)):
            initializers = list(initializer)
        else:
            initializers = [initializer] * len(names)
        if len(initializers) != len(names):
            raise ValueError(
                "Invalid value for argument `initializer` of "
                "add_optimizer_variables: expected one initializer per name."
                f" Received: name={name!r}, initializer={initializer!r}"
            )
        lists = self._create_slots(trainable_variables, names, initializers)
        for slot_name, slot_list in zip(names, lists):
            self._slots[slot_name] = slot_list
        return lists[0] if isinstance(name, str) else lists

    @staticmethod
    def _gather(slot_list: list, indices: Sequence[int] | None) -> list:
        if indices is None:
            return slot_list
        return [slot_list[i] for i in indices]

    def _move_state(self, device: torch.device) -> None:
        """Move every optimizer variable to `device`, keeping each tensor's
        Python identity (slot lists and compiled graphs keep working)."""
        self._device = device
        for tensor in self._variables:
            if tensor.device != device:
                tensor.data = tensor.data.to(device)
        self._iterations.to(device)

    # Keras's helpers for one-variable `update_step` implementations.

    def assign(self, variable: torch.Tensor, value: Any) -> None:
        variable.copy_(torch.as_tensor(value))

    def assign_add(self, variable: torch.Tensor, value: Any) -> None:
        variable.add_(value)

    def assign_sub(self, variable: torch.Tensor, value: Any) -> None:
        variable.sub_(value)

    # Saving: Keras's `{"0": array, "1": array, ...}` store.

    def save_own_variables(self, store: dict) -> None:
        """Write every variable into `store` under its index."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = tensor_to_numpy(variable)

    @torch.no_grad()
    def load_own_variables(self, store: Any) -> None:
        """Read the variables back from `save_own_variables`'s store (or a
        Keras file's); skipped with a warning if the count differs."""
        count = len(self.variables)
        if len(store.keys()) != count:
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', "
                f"because it has {count} variables whereas "
                f"the saved optimizer has {len(store.keys())} variables. "
                "An optimizer that was never built has no variables yet.",
                stacklevel=2,
            )
            return
        self.set_weights([store[str(i)] for i in range(count)])

    @torch.no_grad()
    def set_weights(self, weights: Sequence[Any]) -> None:
        """Overwrite the variables with `weights`, in `variables` order."""
        if not self.built:
            raise ValueError(
                f"Optimizer '{self.name}' has no weights yet: call "
                "`optimizer.build(trainable_variables)` before `set_weights`."
            )
        # Every shape is checked before any variable changes.
        values = [np.asarray(w) for w in weights]
        triples = list(zip(self.variable_names, self.variables, values))
        for name, variable, value in triples:
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    f"Optimizer variable '{name}' has shape "
                    f"{format_shape(variable.shape)}; received a weight of "
                    f"shape {format_shape(value.shape)}."
                )
        for _, variable, value in triples:
            weight_placement.assign(variable, torch.as_tensor(value))
