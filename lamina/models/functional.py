"""Functional models: a graph of layers from `Input`s to outputs.

`Model(inputs, outputs)` gives a model with a graph; `Functional` is the
class its config names. The graph logic lives here as functions on the
model so that subclasses of `Model` may also call
`super().__init__(inputs, outputs)`, as Keras allows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.engine import call_context
from lamina.engine.graph import Graph
from lamina.engine.layer import Layer
from lamina.engine.symbolic import SymbolicTensor
from lamina.errors import format_shape
from lamina.layers.core.input_layer import InputLayer
from lamina.models import network
from lamina.models.model import Model
from lamina.models.model import layer_key
from lamina.utils import tree


def init_graph(model: Model, inputs: Any, outputs: Any) -> None:
    """Make `model` a graph model from symbolic `inputs` to `outputs`."""
    if isinstance(inputs, dict):
        for key, x in inputs.items():
            if not isinstance(x, SymbolicTensor):
                raise ValueError(
                    f"Model '{model.name}': every value of the `inputs` "
                    f"dict must be a symbolic tensor. Received: {key}={x!r}"
                )
    flat_in = tree.flatten(inputs)
    flat_out = tree.flatten(outputs)
    graph = Graph(flat_in, flat_out, owner_name=model.name)
    network.set_graph(model, graph)
    object.__setattr__(model, "_inputs_struct", inputs)
    object.__setattr__(model, "_outputs_struct", outputs)
    _register_layers(model, graph)
    model.built = True


def _register_layers(model: Model, graph: Graph) -> None:
    names = set()
    for op in graph.operations():
        if not isinstance(op, torch.nn.Module):
            continue
        name = getattr(op, "name", None) or type(op).__name__.lower()
        if name in names:
            raise ValueError(
                f"The name '{name}' is used 2 times in model "
                f"'{model.name}'. All layer names should be unique."
            )
        names.add(name)
        model.add_module(layer_key(model, name), op)


def graph_layers(model: Model) -> list:
    return [op for op in model._graph.operations() if isinstance(op, Layer)]


def standardize_inputs(model: Model, inputs: Any) -> list:
    """User inputs (tensor, list, dict) → flat list matching the graph."""
    graph = model._graph
    expected = graph.inputs
    if isinstance(inputs, dict) and not isinstance(model._inputs_struct, dict):
        names = [t._keras_history.operation.name for t in expected]
        missing: Any = [n for n in names if n not in inputs]
        if missing:
            raise ValueError(
                f"Model '{model.name}' expects inputs named {names}; the "
                f"dict passed is missing {missing}. Received keys: "
                f"{sorted(inputs)}"
            )
        flat = [inputs[n] for n in names]
    elif isinstance(inputs, dict):
        missing = set(model._inputs_struct) - set(inputs)
        if missing:
            raise ValueError(
                f"Model '{model.name}' expects input keys "
                f"{sorted(model._inputs_struct)}; missing {sorted(missing)}."
                f" Received keys: {sorted(inputs)}"
            )
        flat = tree.flatten({k: inputs[k] for k in model._inputs_struct})
    else:
        flat = tree.flatten(inputs)
    if len(flat) != len(expected):
        raise ValueError(
            f"Model '{model.name}' expects {len(expected)} input(s), but it "
            f"received {len(flat)} input tensors. Inputs received: "
            f"{[getattr(x, 'shape', x) for x in flat]}"
        )
    return [
        _check_input(model, x, spec, i)
        for i, (x, spec) in enumerate(zip(flat, expected))
    ]


def _check_input(model: Model, x: Any, spec: SymbolicTensor, index: int):
    if x is None:
        return x
    if not isinstance(x, torch.Tensor):
        # Text stays a NumPy array: torch has no strings (the text layers).
        x = np.asarray(x) if spec.dtype == "string" else torch.as_tensor(x)
    shape, expected = tuple(x.shape), spec.shape
    if len(shape) == len(expected) + 1 and shape[-1] == 1:
        x, shape = x.squeeze(-1), shape[:-1]
    elif len(shape) + 1 == len(expected) and expected[-1] == 1:
        x, shape = x[..., None], shape + (1,)
    if len(shape) != len(expected) or any(
        e is not None and e != s for e, s in zip(expected[1:], shape[1:])
    ):
        raise ValueError(
            f"Input {index} of model '{model.name}' is incompatible: "
            f"expected shape={format_shape(expected)}, "
            f"found shape={format_shape(shape)}"
        )
    dtype = spec.torch_dtype
    if dtype is not None and x.dtype != dtype:
        # As Keras: each input takes its `Input`'s dtype (bool or integer
        # data fed to a float32 input, float64 arrays, ...).
        mask = getattr(x, "_keras_mask", None)
        x = x.to(dtype)
        if mask is not None:
            setattr(x, "_keras_mask", mask)
    return x


def run_graph(model: Model, inputs: Any, mask: Any = None) -> Any:
    values = standardize_inputs(model, inputs)
    if mask is not None:
        for x, m in zip(values, tree.flatten(mask)):
            if isinstance(x, torch.Tensor) and m is not None:
                setattr(x, "_keras_mask", m)
    outputs = model._graph.run(values)
    struct = model._outputs_struct
    if (
        isinstance(struct, (list, tuple))
        and len(struct) == 1
        and not call_context.is_tracing()
    ):
        # Keras unpacks `Model(x, [y])`'s single output in eager calls
        # (predict included); a symbolic call still gives a list.
        return outputs[0]
    return tree.pack_sequence_as(struct, outputs)


class Functional(Model):
    """A model defined by a graph of layers: `Model(inputs, outputs)`.

    Args:
        inputs: a symbolic tensor, or a list or dict of them.
        outputs: a symbolic tensor, or a list or dict of them.
        name: the model's name.

    Example:

    >>> import lamina
    >>> x = lamina.Input((4,))
    >>> model = lamina.Model(x, lamina.layers.Dense(2)(x))
    >>> model.output_shape
    (None, 2)
    """

    def __init__(
        self, inputs: Any, outputs: Any, name: str | None = None, **kwargs: Any
    ):
        super().__init__(inputs=inputs, outputs=outputs, name=name, **kwargs)


__all__ = ["Functional", "InputLayer"]
