"""Model configs in Keras 3's form: functional graphs and Sequential stacks.

A functional config lists each layer with its `inbound_nodes` (the call
arguments, symbolic tensors written as `__keras_tensor__` references to
`[layer_name, node_index, tensor_index]`), then `input_layers` and
`output_layers`. Rebuilding replays those calls in order.
"""

from __future__ import annotations

from typing import Any

from lamina.engine.layer import Layer
from lamina.engine.symbolic import SymbolicTensor, history
from lamina.saving import serialization
from lamina.utils import tree


def _model_node_indices(model) -> dict:
    """id(node) → index among its layer's nodes that belong to `model`."""
    indices = {}
    nodes = [
        t._keras_history.operation._inbound_nodes[0]
        for t in model._graph.inputs
    ] + model._graph.nodes
    for node in nodes:
        op = node.operation
        own = [n for n in op._inbound_nodes if n in nodes]
        indices[id(node)] = own.index(node)
    return indices


def _tensor_ref(t: SymbolicTensor, indices: dict) -> list:
    op, node_index, tensor_index = history(t)
    node = op._inbound_nodes[node_index]
    return [op.name, indices.get(id(node), node_index), tensor_index]


def _serialize_arg(x: Any, indices: dict) -> Any:
    if isinstance(x, SymbolicTensor):
        return {
            "class_name": "__keras_tensor__",
            "config": {
                "shape": list(x.shape),
                "dtype": x.dtype,
                "keras_history": _tensor_ref(x, indices),
            },
        }
    # A merge or attention layer takes a list of tensors as one argument;
    # Keras writes it as a list of tensor references.
    if isinstance(x, (list, tuple)):
        return [_serialize_arg(v, indices) for v in x]
    if isinstance(x, dict):
        return {k: _serialize_arg(v, indices) for k, v in x.items()}
    return serialization.serialize_keras_object(x)


def _is_functional(layer: Any) -> bool:
    """Whether Keras counts a construction node before `layer`'s calls:
    a nested functional model (not a Sequential)."""
    from lamina.models.model import Model
    from lamina.models.sequential import Sequential

    return (
        isinstance(layer, Model)
        and not isinstance(layer, Sequential)
        and getattr(layer, "is_graph_network", False)
    )


def _model_ref(t: SymbolicTensor, indices: dict) -> list:
    # In `input_layers`/`output_layers` Keras numbers a nested functional
    # model's nodes after its construction node (from 1).
    name, node_index, tensor_index = _tensor_ref(t, indices)
    if _is_functional(history(t).operation):
        node_index += 1
    return [name, node_index, tensor_index]


def _refs(structure: Any, indices: dict) -> Any:
    if isinstance(structure, dict):
        return {k: _model_ref(v, indices) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [_model_ref(v, indices) for v in structure]
    return _model_ref(structure, indices)


def functional_config(model: Any) -> dict:
    indices = _model_node_indices(model)
    graph_nodes = set(map(id, model._graph.nodes))
    layers = []
    for op in model._graph.operations():
        if not isinstance(op, Layer):
            raise NotImplementedError(
                f"Model '{model.name}' uses the op '{op.name}' directly on "
                "symbolic tensors; serializing raw ops in a functional "
                "config is not supported yet. Wrap it in a layer."
            )
        entry = serialization.serialize_keras_object(op)
        entry["name"] = op.name
        entry["inbound_nodes"] = [
            {
                "args": [_serialize_arg(a, indices) for a in n.call_args],
                "kwargs": {
                    k: _serialize_arg(v, indices)
                    for k, v in n.call_kwargs.items()
                },
            }
            for n in op._inbound_nodes
            if id(n) in graph_nodes
        ]
        layers.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": _refs(model._inputs_struct, indices),
        "output_layers": _refs(model._outputs_struct, indices),
    }


def _restore_arg(x: Any, created: dict) -> Any:
    if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
        name, node_index, tensor_index = x["config"]["keras_history"]
        return created[name][node_index][tensor_index]
    if isinstance(x, list):
        return [_restore_arg(v, created) for v in x]
    if isinstance(x, dict):
        return {k: _restore_arg(v, created) for k, v in x.items()}
    return x


def _ready(x: Any, created: dict) -> bool:
    """Whether every tensor `x` refers to has been made."""
    if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
        name, node_index, _ = x["config"]["keras_history"]
        return len(created.get(name, ())) > node_index
    if isinstance(x, list):
        return all(_ready(v, created) for v in x)
    if isinstance(x, dict):
        return all(_ready(v, created) for v in x.values())
    return True


def _call_layers(entries: list, layers: dict, created: dict) -> None:
    """Call each layer on its recorded inputs, in config order; a node
    whose inputs are not made yet (a shared layer listed before its later
    inputs, as Keras orders layers by depth) waits for the next pass."""
    pending = {e["name"]: list(e.get("inbound_nodes", [])) for e in entries}
    while any(pending.values()):
        progress = False
        for entry in entries:
            name, nodes = entry["name"], pending[entry["name"]]
            while nodes and _ready(nodes[0], created):
                node = nodes.pop(0)
                args = [_restore_arg(a, created) for a in node["args"]]
                kwargs = {
                    k: _restore_arg(v, created)
                    for k, v in node.get("kwargs", {}).items()
                }
                created[name].append(
                    tree.flatten(layers[name](*args, **kwargs))
                )
                progress = True
        if not progress:
            raise ValueError(
                "Cannot rebuild the functional model: the inputs of layers "
                f"{sorted(n for n, v in pending.items() if v)} are never "
                "made (the config's `inbound_nodes` refer to missing "
                "layers or nodes)."
            )


def functional_from_config(
    cls: Any, config: dict, custom_objects: dict | None = None
) -> Any:
    from lamina.layers.core.input_layer import InputLayer

    created: dict[str, list] = {}
    layers = {}
    for entry in config["layers"]:
        layer = serialization.deserialize_keras_object(
            {
                k: v
                for k, v in entry.items()
                if k not in ("inbound_nodes", "build_config")
            },
            custom_objects=custom_objects,
        )
        layers[entry["name"]] = layer
        created[entry["name"]] = []
        if isinstance(layer, InputLayer):
            created[entry["name"]].append([layer.output_tensor])
    _call_layers(config["layers"], layers, created)

    def resolve(refs):
        if isinstance(refs, dict):
            return {k: resolve(v) for k, v in refs.items()}
        if refs and isinstance(refs[0], list):
            return [resolve(r) for r in refs]
        name, node_index, tensor_index = refs
        if _is_functional(layers.get(name)):
            node_index -= 1  # see `_model_ref` (Keras does the same)
        return created[name][node_index][tensor_index]

    from lamina.models.model import Model

    target = cls if cls is not Model else _functional_cls()
    return target(
        inputs=resolve(config["input_layers"]),
        outputs=resolve(config["output_layers"]),
        name=config.get("name"),
        trainable=config.get("trainable", True),
    )


def _functional_cls():
    from lamina.models.functional import Functional

    return Functional


def sequential_config(model: Any) -> dict:
    layers = []
    if model._input_layer is not None:
        layers.append(serialization.serialize_keras_object(model._input_layer))
    layers.extend(
        serialization.serialize_keras_object(layer) for layer in model._stack
    )
    config = {
        "name": model.name,
        "trainable": model.trainable,
        "dtype": Layer.get_config(model)["dtype"],
        "layers": layers,
    }
    if model.is_graph_network:
        config["build_input_shape"] = tuple(model._inputs_struct.shape)
    return config


def sequential_from_config(
    cls: Any, config: dict, custom_objects: dict | None = None
) -> Any:
    layers = [
        serialization.deserialize_keras_object(
            entry, custom_objects=custom_objects
        )
        for entry in config["layers"]
    ]
    model = cls(
        name=config.get("name"), trainable=config.get("trainable", True)
    )
    for layer in layers:
        model.add(layer, rebuild=False)
    shape = config.get("build_input_shape")
    if model._input_layer is None and shape is not None:
        model.build(tuple(shape))
    else:
        model._maybe_rebuild()
    return model
