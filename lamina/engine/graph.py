"""The functional graph: which nodes an output depends on, in what order,
and running them on real tensors."""

from __future__ import annotations


from typing import TYPE_CHECKING, Any, NoReturn

import torch

from lamina.engine import call_context
from lamina.engine.symbolic import SymbolicTensor, history
from lamina.utils import tree

if TYPE_CHECKING:
    from lamina.engine.node import Node


class Graph:
    """The nodes between `inputs` and `outputs`, topologically ordered.

    Raises:
        ValueError: when an output depends on a symbolic tensor that is not
            one of `inputs` ("graph disconnected").
    """

    def __init__(
        self,
        inputs: list[SymbolicTensor],
        outputs: list[SymbolicTensor],
        owner_name: str = "model",
    ) -> None:
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
        self._release = self._release_plan()

    def _order_nodes(self) -> list[Node]:
        input_ids = {id(t) for t in self.inputs}
        ordered: list[Node] = []
        done: set[int] = set()
        active: set[int] = set()

        def visit(tensor: SymbolicTensor) -> None:
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

    def _disconnected(self, tensor: SymbolicTensor) -> NoReturn:
        names = [
            getattr(t._keras_history.operation, "name", "?")
            if t._keras_history
            else "?"
            for t in self.inputs
        ]
        source = "an unrecorded tensor"
        if tensor._keras_history is not None:
            source = f"'{tensor._keras_history.operation.name}'"
        raise ValueError(
            f"Graph disconnected in model '{self.owner_name}': an output "
            f"depends on {tensor} (from {source}), which is not reachable "
            f"from the model's inputs {names}. Pass every `Input` the "
            "outputs need in `inputs`."
        )

    def operations(self) -> list[Any]:
        """Unique operations in Keras's order (`model.layers`, configs,
        weights): by depth from the outputs, deepest (inputs) first; ties
        in the order a depth-first walk from the outputs first meets
        them."""
        first_seen = self._first_seen()
        depth = self._operation_depths()
        for t in self.inputs:  # an input no output uses
            op = history(t).operation
            depth.setdefault(id(op), 0)
            first_seen.setdefault(id(op), (-1, op))
        ops = [first_seen[key][1] for key in depth]
        return sorted(
            ops, key=lambda op: (-depth[id(op)], first_seen[id(op)][0])
        )

    def _first_seen(self) -> dict[int, tuple[int, Any]]:
        """id(operation) -> (index, operation) in depth-first pre-order
        from the outputs (Keras's tie-break)."""
        seen: dict[int, tuple[int, Any]] = {}
        input_ids = {id(t) for t in self.inputs}
        done: set[int] = set()

        def visit(tensor: SymbolicTensor) -> None:
            op, node_index, _ = history(tensor)
            node = op._inbound_nodes[node_index]
            if id(node) in done:
                return
            done.add(id(node))
            if id(tensor) in input_ids and not node.is_input:
                return
            seen.setdefault(id(op), (len(seen), op))
            if id(tensor) not in input_ids:
                for t in node.input_tensors:
                    visit(t)

        for t in self.outputs:
            visit(t)
        return seen

    def _operation_depths(self) -> dict[int, int]:
        """id(operation) -> its depth: an output's node has depth 0, a
        node one more than the deepest node it feeds; an operation takes
        its deepest node's depth (Keras's `map_graph`)."""
        input_ids = {id(t) for t in self.inputs}
        nodes = [
            history(t).operation._inbound_nodes[history(t).node_index]
            for t in self.inputs
        ] + self.nodes
        node_depth: dict[int, int] = {}
        op_depth: dict[int, int] = {}
        for node in reversed(nodes):
            depth = max(
                node_depth.get(id(node), 0), op_depth.get(id(node.operation), 0)
            )
            op_depth[id(node.operation)] = depth
            node_depth[id(node)] = depth
            if any(id(t) in input_ids for t in node.outputs):
                continue
            for parent in node.parent_nodes:
                node_depth[id(parent)] = max(
                    depth + 1, node_depth.get(id(parent), 0)
                )
        return op_depth

    def _release_plan(self) -> list[list[int]]:
        """For each node, the tensors (by id) that no later node reads.

        `run` drops them once that node has run, so an intermediate value
        autograd does not keep is freed after its last use, as in eager
        torch code; holding every value to the end raised ResNet50's
        training-step peak memory by 60% (bench/resnet50.py --memory).
        """
        last_use: dict[int, int] = {}
        for i, node in enumerate(self.nodes):
            for t in node.input_tensors:
                last_use[id(t)] = i
        keep = {id(t) for t in self.outputs}
        plan: list[list[int]] = [[] for _ in self.nodes]
        for tensor_id, i in last_use.items():
            if tensor_id not in keep:
                plan[i].append(tensor_id)
        return plan

    def run(self, values: list[Any]) -> list[Any]:
        """Run the graph on real input tensors; return flat outputs."""
        memo = {id(t): v for t, v in zip(self.inputs, values)}
        for node, release in zip(self.nodes, self._release):
            if node.is_simple:
                out = node.operation(memo[id(node.call_args[0])])
            else:
                args, kwargs = node.map_arguments(memo)
                ctx = call_context.current()
                if (
                    "training" in kwargs
                    and ctx is not None
                    and ctx.training is not None
                ):
                    # As in Keras's Functional: the model's training flag
                    # overrides one recorded at construction (Keras
                    # records `training=True` for the augmentation layers,
                    # whose call defaults to it).
                    kwargs["training"] = ctx.training
                out = node.operation(*args, **kwargs)
            if len(node.outputs) == 1 and isinstance(out, torch.Tensor):
                memo[id(node.outputs[0])] = out
            else:
                for t, v in zip(node.outputs, tree.flatten(out)):
                    memo[id(t)] = v
            for tensor_id in release:
                memo.pop(tensor_id, None)
        return [memo[id(t)] for t in self.outputs]
