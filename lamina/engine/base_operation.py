"""`Operation`: Keras's base class of graph operations.

An operation runs its `call` on real tensors and, on symbolic ones
(`lamina.Input(...)` and what is computed from them), returns symbolic
outputs (from `compute_output_spec`) and records a graph node, so that
`lamina.Function` and functional models can replay it.
"""

from __future__ import annotations

from typing import Any

from lamina.engine import naming, shape_inference
from lamina.engine.node import Node
from lamina.engine.operation import any_symbolic


class Operation:
    """Base class of a graph operation (Keras's `keras.Operation`).

    A subclass implements `call` (on tensors) and may implement
    `compute_output_spec` (on symbolic tensors); by default the output
    spec is found by tracing `call` on shape-only `meta` tensors.

    Args:
        name: the operation's name; defaults to its snake-cased class
            name, made unique.

    Example:

    >>> import torch, lamina
    >>> class Double(lamina.Operation):
    ...     def call(self, x):
    ...         return x * 2
    >>> Double()(torch.ones(2))
    tensor([2., 2.])
    >>> x = lamina.Input((3,))
    >>> y = Double()(x)
    >>> y.shape, isinstance(y, lamina.KerasTensor)
    ((None, 3), True)
    >>> lamina.Function(x, y)(torch.ones(1, 3))
    tensor([[2., 2., 2.]])
    """

    def __init__(self, name: str | None = None):
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(
                "Argument `name` of Operation must be a string and cannot "
                f"contain character `/`. Received: name={name!r} (of type "
                f"{type(name)})"
            )
        self.name = name or naming.auto_name(
            naming.class_key(type(self).__name__)
        )
        self._inbound_nodes: list[Node] = []
        self._outbound_nodes: list[Node] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any_symbolic(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args: Any, **kwargs: Any) -> Any:
        """The symbolic outputs of a call, recorded as a graph node."""
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, kwargs, outputs)
        return outputs

    def call(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"Operation {type(self).__name__} does not implement `call()`."
        )

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        """The symbolic outputs of `call` on these (symbolic) inputs."""
        return shape_inference.compute_output_spec(
            self.call, args, kwargs, self
        )

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        return cls(**config)

    @property
    def input(self) -> Any:
        """The inputs of the operation's first call on symbolic tensors."""
        return self._first_node("input").call_args[0]

    @property
    def output(self) -> Any:
        """The outputs of the operation's first call on symbolic tensors."""
        return self._first_node("output").outputs_structure

    def _first_node(self, which: str) -> Node:
        if not self._inbound_nodes:
            raise AttributeError(
                f"Operation '{self.name}' has never been called on a "
                f"symbolic tensor, so it has no defined {which}."
            )
        return self._inbound_nodes[0]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"
