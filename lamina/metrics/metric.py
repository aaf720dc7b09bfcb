"""The `Metric` base class and the tensors that hold a metric's state.

A metric's state is a handful of `MetricVariable`s: ordinary torch tensors
(a `torch.Tensor` subclass that adds Keras's `assign` / `assign_add`
methods) that `update_state` changes **in place**. Nothing in an update
reads a value back to the host, so a train step that updates metrics stays
traceable by `torch.compile` and never waits on the GPU; `result()` returns
a device tensor that the trainer reads only when it prints.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.engine.naming import auto_name
from lamina.engine.naming import to_snake_case
from lamina.errors import MISSING_SUPER_INIT
from lamina.utils.dtype_utils import standardize_dtype
from lamina.utils.dtype_utils import to_torch_dtype
from lamina.utils.eager import eager_only

_AGGREGATIONS = ("none", "mean", "sum", "only_first_replica")


class MetricVariable(torch.Tensor):
    """A metric state tensor with Keras's `Variable` assignment methods.

    It is a plain `torch.Tensor` to torch (ops on it return plain tensors,
    `torch.compile` traces it), plus `assign`, `assign_add`, `assign_sub`,
    `value`, `name` and `path`, so that metric code written for Keras runs
    unchanged. Create one with `Metric.add_variable`.
    """

    # Ops on a variable return plain tensors, and torch skips the Python
    # dispatch layer entirely, so a variable costs what a tensor costs.
    __torch_function__ = torch._C._disabled_torch_function_impl

    @property
    def name(self) -> str:
        return self._variable_name

    @property
    def path(self) -> str:
        return self._variable_path

    @property
    def aggregation(self) -> str:
        return self._variable_aggregation

    @property
    def trainable(self) -> bool:
        return False

    @property
    def value(self) -> torch.Tensor:
        return self

    def assign(self, value: Any) -> MetricVariable:
        """Overwrite the state in place with `value` (broadcast)."""
        if isinstance(value, torch.Tensor):
            self.copy_(value)
        elif isinstance(value, (bool, int, float)):
            self.fill_(value)  # No host-to-device copy for a number.
        else:
            self.copy_(torch.as_tensor(value, dtype=self.dtype))
        return self

    def assign_add(self, value: Any) -> MetricVariable:
        """Add `value` to the state in place."""
        self.add_(value)
        return self

    def assign_sub(self, value: Any) -> MetricVariable:
        """Subtract `value` from the state in place."""
        self.sub_(value)
        return self

    def __deepcopy__(self, memo: dict) -> MetricVariable:
        new = _as_variable(
            self.detach().clone(),
            self._variable_name,
            self._variable_path,
            self._variable_aggregation,
        )
        memo[id(self)] = new
        return new

    def __repr__(self) -> str:
        return (
            f"<MetricVariable path={self.path}, shape={tuple(self.shape)}, "
            f"dtype={standardize_dtype(self.dtype)}, "
            f"value={self.detach().cpu().numpy()}>"
        )


def _as_variable(
    tensor: torch.Tensor, name: str, path: str, aggregation: str
) -> MetricVariable:
    variable = tensor.as_subclass(MetricVariable)
    variable._variable_name = name
    variable._variable_path = path
    variable._variable_aggregation = aggregation
    return variable


def _move_in_place(variable: MetricVariable, device: torch.device) -> None:
    """Move a variable's data to `device`, keeping the Python object (so
    attributes and lists that hold it see the move)."""
    moved = _as_variable(
        variable.detach().to(device),
        variable.name,
        variable.path,
        variable.aggregation,
    )
    torch.utils.swap_tensors(variable, moved)


def _compute_dtype(dtype: Any) -> str:
    """The compute dtype named by a dtype, a policy or a policy name."""
    if dtype is None:
        return config.floatx()
    policy_dtype = getattr(dtype, "compute_dtype", None)
    if policy_dtype is not None:
        return policy_dtype
    if isinstance(dtype, dict):  # A serialized DTypePolicy.
        return _compute_dtype(dtype.get("config", dtype).get("name"))
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        return dtype[len("mixed_") :]
    return standardize_dtype(dtype)


def _initial_value(initializer, shape, dtype, device) -> torch.Tensor:
    torch_dtype = to_torch_dtype(dtype)
    if initializer is None or initializer in ("zeros", "Zeros"):
        return torch.zeros(shape, dtype=torch_dtype, device=device)
    if initializer in ("ones", "Ones"):
        return torch.ones(shape, dtype=torch_dtype, device=device)
    if isinstance(initializer, (int, float)):
        return torch.full(shape, initializer, dtype=torch_dtype, device=device)
    if isinstance(initializer, (str, dict)):
        from lamina import initializers  # Lazy: it imports much more.

        initializer = initializers.get(initializer)
    if not callable(initializer):
        raise ValueError(
            "Invalid value for argument `initializer` of "
            "Metric.add_variable: expected 'zeros', 'ones', a number or "
            f"an initializer. Received: initializer={initializer!r}"
        )
    value = initializer(shape, dtype=dtype)
    return torch.as_tensor(value, dtype=torch_dtype, device=device).clone()


class Metric:
    """Encapsulates metric logic and state.

    A metric accumulates statistics over batches with `update_state()` and
    reports them with `result()`. Its state lives in tensors created by
    `add_variable()` in `__init__` and updated in place.

    Args:
        dtype: the dtype of the metric's computations and state. Defaults
            to `lamina.config.floatx()`; a mixed policy name such as
            `"mixed_float16"` means its compute dtype.
        name: the metric's name. Defaults to the snake-cased class name,
            made unique (`"my_metric_1"`, ...).

    Subclasses implement `__init__` (creating state with `add_variable`),
    `update_state(...)` and `result()`. `reset_state()` zeroes every
    variable unless overridden.

    State rules: `update_state` changes the variables in place and never
    reads a value back to the host, so it can run inside a
    `torch.compile`d train step; `result()` returns a tensor on the
    state's device. The state moves with `to(device)`, and lamina's own
    metrics move it to the device of the first batch they see.

    Example:

    >>> import torch
    >>> import lamina
    >>> class BinaryTruePositives(lamina.metrics.Metric):
    ...     def __init__(self, name="binary_true_positives", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.true_positives = self.add_variable(
    ...             shape=(), initializer="zeros", name="true_positives")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         values = torch.logical_and(
    ...             torch.as_tensor(y_true).bool(),
    ...             torch.as_tensor(y_pred).bool()).float()
    ...         if sample_weight is not None:
    ...             values = values * torch.as_tensor(sample_weight)
    ...         self.true_positives.assign_add(values.sum())
    ...     def result(self):
    ...         return self.true_positives
    >>> m = BinaryTruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> float(m.result())
    2.0
    """

    def __init__(self, dtype: Any = None, name: str | None = None):
        self._variables: list[MetricVariable] = []
        self._metrics: list[Metric] = []
        self.name = name or auto_name(to_snake_case(type(self).__name__))
        self._dtype = _compute_dtype(dtype)
        self._torch_dtype = to_torch_dtype(self._dtype)
        self._device = torch.get_default_device()

    def __setattr__(self, name: str, value: Any) -> None:
        # Sub-metrics assigned as attributes contribute their variables,
        # as in Keras, so that `variables` lists the whole state.
        if isinstance(value, Metric) and "_metrics" in self.__dict__:
            if value is not self and value not in self._metrics:
                self._metrics.append(value)
        object.__setattr__(self, name, value)

    @property
    def dtype(self) -> str:
        """The metric's compute dtype, as a string (`"float32"`)."""
        return self._dtype

    @property
    def device(self) -> torch.device:
        """The device the metric's state lives on."""
        return self._device

    @property
    def variables(self) -> list[MetricVariable]:
        """The state tensors, in creation order, then sub-metrics'."""
        self._check_super_called()
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    # Creating or moving state is a one-time eager step: inside a compiled
    # train step, torch.compile runs it outside the graph.
    @eager_only
    def add_variable(
        self,
        shape: Any,
        initializer: Any,
        dtype: Any = None,
        aggregation: str = "sum",
        name: str | None = None,
    ) -> MetricVariable:
        """Create a state tensor, on the metric's device.

        Args:
            shape: the tensor's shape.
            initializer: `"zeros"`, `"ones"`, a number or an initializer.
            dtype: the tensor's dtype; defaults to `floatx()`.
            aggregation: how replicas combine it (`"sum"`, `"mean"`,
                `"only_first_replica"` or `"none"`).
            name: the variable's name (its path is `metric_name/name`).

        Returns:
            The new `MetricVariable`.
        """
        self._check_super_called()
        if aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"Invalid value for argument `aggregation` of "
                f"{type(self).__name__}.add_variable: expected one of "
                f"{_AGGREGATIONS}. Received: aggregation={aggregation!r}"
            )
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        dtype = standardize_dtype(dtype) if dtype else config.floatx()
        name = name or f"variable_{len(self._variables)}"
        value = _initial_value(initializer, shape, dtype, self._device)
        variable = _as_variable(value, name, f"{self.name}/{name}", aggregation)
        self._variables.append(variable)
        return variable

    def add_weight(
        self,
        shape: Any = (),
        initializer: Any = None,
        dtype: Any = None,
        name: str | None = None,
    ) -> MetricVariable:
        """Alias of `add_variable` kept for Keras 2 code."""
        return self.add_variable(
            shape=shape, initializer=initializer, dtype=dtype, name=name
        )

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Accumulate statistics for the metric."""
        raise NotImplementedError

    def result(self) -> Any:
        """Compute the current metric value (a tensor, or a dict of them)."""
        raise NotImplementedError

    def reset_state(self) -> None:
        """Zero every state variable (called between epochs)."""
        for variable in self.variables:
            variable.zero_()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Update the state with one batch and return the new result."""
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    @eager_only
    def to(self, device: Any) -> Metric:
        """Move the state (and sub-metrics' state) to `device`, in place.

        The variable objects stay the same, so references held elsewhere
        (attributes, an optimizer-style list) see the moved data.
        """
        device = torch.device(device)
        for variable in self._variables:
            if variable.device != device:
                _move_in_place(variable, device)
        for key, value in list(self.__dict__.items()):
            # Constant tensors (thresholds, label weights) are replaced, not
            # mutated: the caller may hold them too.
            if isinstance(value, torch.Tensor) and not isinstance(
                value, MetricVariable
            ):
                object.__setattr__(self, key, value.to(device))
        for metric in self._metrics:
            metric.to(device)
        self._device = device
        return self

    def _follow_device(self, tensor: torch.Tensor) -> None:
        # State follows the data: the first batch on a GPU moves a fresh
        # metric there, once, instead of failing on mixed devices.
        if tensor.device != self._device:
            self.to(tensor.device)

    def get_config(self) -> dict:
        """The metric's constructor arguments, JSON-serializable."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        """Rebuild a metric from `get_config()`'s output."""
        return cls(**config)

    def _obj_type(self) -> str:
        return "Metric"

    def _check_super_called(self) -> None:
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                MISSING_SUPER_INIT.format(cls=type(self).__name__)
            )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__
