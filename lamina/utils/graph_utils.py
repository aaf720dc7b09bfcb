"""Questions about functional-API tensors: `is_keras_tensor`,
`get_source_inputs`."""

from __future__ import annotations

from typing import Any


def is_keras_tensor(x: Any) -> bool:
    """Whether `x` is a symbolic (functional-API) tensor.

    >>> import lamina
    >>> lamina.utils.is_keras_tensor(lamina.Input((3,)))
    True
    """
    from lamina.engine.symbolic import SymbolicTensor

    return isinstance(x, SymbolicTensor)


def get_source_inputs(tensor: Any) -> list:
    """The `Input` tensors a symbolic tensor was computed from, each once,
    in the order they are first reached.

    >>> import lamina
    >>> a, b = lamina.Input((2,)), lamina.Input((2,))
    >>> y = lamina.layers.Add()([lamina.layers.Dense(2)(a), b])
    >>> [t is a for t in lamina.utils.get_source_inputs(y)]
    [True, False]
    """
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return tensor if not is_keras_tensor(tensor) else [tensor]
    operation, node_index, _ = history
    nodes = getattr(operation, "_inbound_nodes", None)
    if not operation or not nodes:
        return [tensor]
    node = nodes[node_index]
    if node.is_input:
        return list(node.outputs)
    sources: list = []
    for parent in node.input_tensors:
        for x in get_source_inputs(parent):
            if all(x is not s for s in sources):
                sources.append(x)
    return sources
