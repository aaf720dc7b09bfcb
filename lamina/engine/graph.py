"""The functional graph: which nodes an output depends on, in what order,
and running them on real tensors."""

from __future__ import annotations


import torch

from lamina.engine.symbolic import SymbolicTensor
from lamina.utils import tree


class Graph:
    """The nodes between `inputs` and `outputs`, topologically ordered.

    Raises:
        ValueError: when an output depends on a symbolic tensor that is not
            one of `inputs` ("graph disconnected").
    """

    def __init__(self, inputs: list, outputs: list, owner_name: str = "model"):
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.owner_name = owner_name
        for x in self.inputs + self.outputs:
            if not isinstance(x, SymbolicTensor):
                raise ValueError(
                    f"All `inputs` and `outputs` of model '{owner_name}' "
                    "must be symbolic tensors (from `lamina.Input` and "
                    f"layers called on them). Received: {x!r}"
                )
        self.nodes = self._order_nodes()

    def _order_nodes(self) -> list:
        input_ids = {id(t) for t in self.inputs}
        ordered, done, active = [], set(), set()

        def visit(tensor: SymbolicTensor):
            if id(tensor) in input_ids:
                return
            history = tensor._keras_history
            if history is None:
                self._disconnected(tensor)
            op, node_index, _ = history
            node = op._inbound_nodes[node_index]
            if id(node) in done:
                return
            if node.is_input:
                self._disconnected(tensor)
            if id(node) in active:
                raise ValueError(
                    f"Model '{self.owner_name}' has a cycle at "
                    f"'{getattr(op, 'name', op)}'."
                )
            active.add(id(node))
            for t in node.input_tensors:
                visit(t)
            active.discard(id(node))
            done.add(id(node))
            ordered.append(node)

        for t in self.outputs:
            visit(t)
        return ordered

    def _disconnected(self, tensor: SymbolicTensor):
        names = [getattr(t._keras_history.operation, "name", "?")
                 if t._keras_history else "?" for t in self.inputs]
        source = "an unrecorded tensor"
        if tensor._keras_history is not None:
            source = f"'{tensor._keras_history.operation.name}'"
        raise ValueError(
            f"Graph disconnected in model '{self.owner_name}': an output "
            f"depends on {tensor} (from {source}), which is not reachable "
            f"from the model's inputs {names}. Pass every `Input` the "
            "outputs need in `inputs`."
        )

    def operations(self) -> list:
        """Unique operations in execution order, input layers first."""
        ops, seen = [], set()
        for t in self.inputs:
            op = t._keras_history.operation
            if id(op) not in seen:
                seen.add(id(op))
                ops.append(op)
        for node in self.nodes:
            if id(node.operation) not in seen:
                seen.add(id(node.operation))
                ops.append(node.operation)
        return ops

    def run(self, values: list) -> list:
        """Run the graph on real input tensors; return flat outputs."""
        memo = {id(t): v for t, v in zip(self.inputs, values)}
        for node in self.nodes:
            if node.is_simple:
                out = node.operation(memo[id(node.call_args[0])])
            else:
                args, kwargs = node.map_arguments(memo)
                out = node.operation(*args, **kwargs)
            if len(node.outputs) == 1 and isinstance(out, torch.Tensor):
                memo[id(node.outputs[0])] = out
            else:
                for t, v in zip(node.outputs, tree.flatten(out)):
                    memo[id(t)] = v
        return [memo[id(t)] for t in self.outputs]

