"""`Node`: one call of an operation (layer or op) on symbolic tensors."""

from __future__ import annotations

from typing import Any

from lamina.engine.symbolic import History, SymbolicTensor, history
from lamina.utils import tree


class Node:
    """Records `operation(*call_args, **call_kwargs) -> outputs`.

    Sets each output's `_keras_history` so the graph can be walked back
    from any output to the inputs it depends on.
    """

    def __init__(
        self,
        operation: Any,
        call_args: Any = (),
        call_kwargs: Any = None,
        outputs: Any = None,
    ):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs_structure = outputs
        self.outputs = [
            t for t in tree.flatten(outputs) if isinstance(t, SymbolicTensor)
        ]
        self.input_tensors = [
            t
            for t in tree.flatten((self.call_args, self.call_kwargs))
            if isinstance(t, SymbolicTensor) and t._keras_history is not None
        ]
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for parent in self.parent_nodes:
            parent.operation._outbound_nodes.append(self)
        for i, t in enumerate(self.outputs):
            t._keras_history = History(operation, node_index, i)
        # The common case (one tensor in, no kwargs) runs without tree work.
        args = self.call_args
        self.is_simple = (
            len(args) == 1
            and isinstance(args[0], SymbolicTensor)
            and not self.call_kwargs
        )

    @property
    def is_input(self) -> bool:
        return not self.input_tensors

    @property
    def parent_nodes(self) -> list[Node]:
        parents = []
        for t in self.input_tensors:
            op, node_index, _ = history(t)
            node = op._inbound_nodes[node_index]
            if node not in parents:
                parents.append(node)
        return parents

    def map_arguments(
        self, values: dict[int, Any]
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """Replace each symbolic input by `values[id(tensor)]`."""

        def fill(x: Any) -> Any:
            if isinstance(x, SymbolicTensor):
                return values[id(x)]
            return x

        args = tree.map_structure(fill, self.call_args)
        kwargs = tree.map_structure(fill, self.call_kwargs)
        return args, kwargs
