"""`Function`: a callable graph from symbolic inputs to symbolic outputs."""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.base_operation import Operation
from lamina.engine.graph import Graph
from lamina.utils import tree


class Function(Operation):
    """The computation between symbolic `inputs` and `outputs`, as a
    callable (Keras's `keras.Function`; a functional `Model` without
    weights tracking, training or saving).

    Calling it with real tensors (in the structure of `inputs`) runs every
    operation between them; calling it with symbolic tensors gives
    symbolic outputs, so functions nest.

    Args:
        inputs: a symbolic tensor or a structure (list, tuple, dict) of
            them.
        outputs: a symbolic tensor or a structure of them, computed from
            `inputs`.
        name: optional name.

    Example:

    >>> import torch, lamina
    >>> x = lamina.Input((2,))
    >>> y = lamina.Input((2,))
    >>> fn = lamina.Function([x, y], {"sum": x + y, "product": x * y})
    >>> out = fn([torch.ones(1, 2), torch.full((1, 2), 3.0)])
    >>> out["sum"], out["product"]
    (tensor([[4., 4.]]), tensor([[3., 3.]]))
    >>> sorted(op.name.split("_")[0] for op in fn.operations[-2:])
    ['add', 'multiply']
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None):
        super().__init__(name=name)
        self._inputs_struct = tree.map_structure(lambda x: x, inputs)
        self._outputs_struct = tree.map_structure(lambda x: x, outputs)
        self._graph = Graph(
            tree.flatten(inputs), tree.flatten(outputs), owner_name=self.name
        )

    @property
    def inputs(self) -> list[Any]:
        """The flat list of symbolic inputs."""
        return list(self._graph.inputs)

    @property
    def outputs(self) -> list[Any]:
        """The flat list of symbolic outputs."""
        return list(self._graph.outputs)

    @property
    def operations(self) -> list[Any]:
        """The graph's operations (layers and ops), inputs first."""
        return self._graph.operations()

    def call(self, inputs: Any) -> Any:
        flat = tree.flatten(inputs)
        if len(flat) != len(self._graph.inputs):
            raise ValueError(
                f"Function '{self.name}' expects {len(self._graph.inputs)} "
                f"input(s) in the structure of its `inputs`. Received "
                f"{len(flat)}: inputs={inputs!r}"
            )
        values = [
            x if isinstance(x, torch.Tensor) else torch.as_tensor(x)
            for x in flat
        ]
        return tree.pack_sequence_as(
            self._outputs_struct, self._graph.run(values)
        )
