"""Functional graphs of tf.keras 2.x configs, in Keras 3's form.

tf.keras 2.x wrote each call of a layer (an inbound node) as a list of
`[layer_name, node_index, tensor_index, call_kwargs]`, one per input
tensor, and numbered the calls of a nested model built on an `Input` from
1 (its node 0 links its own `Input` to its output). Keras 3 writes
`{"args": [...], "kwargs": {...}}` with tensors as `__keras_tensor__`
references numbered from 0. This module rewrites the former into the
latter; graphs already in Keras 3's form are left as they are.
"""

from __future__ import annotations

from typing import Any


def convert_graph(inner: dict, raw_layers: list, layers: list) -> dict:
    """The functional config `inner` with its nodes and its
    `input_layers` / `output_layers` in Keras 3's form.

    Args:
        inner: the functional model's `config`.
        raw_layers: its `layers` entries as stored.
        layers: the same entries with their layer configs converted.

    Raises:
        ValueError: a malformed node or tensor reference.

    Example:

    >>> from lamina.saving import legacy_graph
    >>> raw = [{"name": "d", "inbound_nodes": [[["x", 0, 0, {}]]]}]
    >>> out = legacy_graph.convert_graph({"layers": raw}, raw, [dict(raw[0])])
    >>> out["layers"][0]["inbound_nodes"][0]["args"][0]["config"][
    ...     "keras_history"]
    ['x', 0, 0]
    """
    if not _has_list_nodes(raw_layers):
        return {**inner, "layers": layers}
    offsets = _first_node_offsets(raw_layers)
    known = {entry.get("name") for entry in raw_layers}
    for entry, new in zip(raw_layers, layers):
        nodes = entry.get("inbound_nodes")
        if isinstance(nodes, list):
            new["inbound_nodes"] = [
                _convert_node(n, offsets, known) for n in nodes
            ]
    out = {**inner, "layers": layers}
    for key in ("input_layers", "output_layers"):
        if key in inner:
            out[key] = _convert_refs(inner[key], offsets)
    return out


def _first_node_offsets(layers: list) -> dict:
    """Layers whose first node tf.keras 2.x left out of the numbering: a
    nested model built on an `Input` owns a node of its own."""
    offsets = {}
    for entry in layers:
        if not isinstance(entry, dict):
            continue
        inner = entry.get("config")
        graph_sequential = (
            entry.get("class_name") == "Sequential"
            and isinstance(inner, dict)
            and _starts_with_input(inner.get("layers"))
        )
        if (
            entry.get("class_name") in ("Functional", "Model")
            or graph_sequential
        ):
            offsets[entry.get("name")] = 1
    return offsets


def _starts_with_input(layers: Any) -> bool:
    if not isinstance(layers, list) or not layers:
        return False
    first = layers[0]
    return isinstance(first, dict) and (
        first.get("class_name") == "InputLayer"
        or "batch_input_shape" in (first.get("config") or {})
    )


def _has_list_nodes(layers: list) -> bool:
    """Whether the graph uses tf.keras 2.x's nested-list nodes."""
    for entry in layers:
        nodes = entry.get("inbound_nodes")
        if isinstance(nodes, list) and any(isinstance(n, list) for n in nodes):
            return True
    return False


def _is_ref(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) in (3, 4)
        and isinstance(value[0], str)
        and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value[1:3]
        )
    )


def _tensor(ref: list, offsets: dict) -> dict:
    name, node_index, tensor_index = ref[:3]
    node_index -= offsets.get(name, 0)
    if node_index < 0:
        raise ValueError(
            f"The functional model config refers to node {ref[1]} of layer "
            f"'{name}', which does not exist."
        )
    return {
        "class_name": "__keras_tensor__",
        "config": {
            "shape": None,
            "dtype": None,
            "keras_history": [name, node_index, tensor_index],
        },
    }


def _convert_kwargs(value: Any, offsets: dict, known: set) -> Any:
    # tf.keras 2.x wrote tensors passed as keyword arguments (a
    # MultiHeadAttention `value`) as bare [layer, node, tensor] lists.
    if _is_ref(value) and len(value) == 3 and value[0] in known:
        return _tensor(value, offsets)
    if isinstance(value, list):
        return [_convert_kwargs(v, offsets, known) for v in value]
    if isinstance(value, dict):
        return {k: _convert_kwargs(v, offsets, known) for k, v in value.items()}
    return value


def _convert_node(node: Any, offsets: dict, known: set) -> Any:
    """One call of a layer: `[[name, node, tensor, kwargs], ...]` → Keras
    3's `{"args": [...], "kwargs": {...}}`; other forms pass through."""
    if not isinstance(node, list):
        return node
    if not node:
        return {"args": [], "kwargs": {}}
    if not all(_is_ref(ref) for ref in node):
        raise ValueError(
            "A functional model's inbound node must list "
            f"[layer_name, node_index, tensor_index, kwargs] entries. "
            f"Received: {node!r:.200}"
        )
    tensors = [_tensor(ref, offsets) for ref in node]
    kwargs = node[0][3] if len(node[0]) == 4 else {}
    if not isinstance(kwargs, dict):
        raise ValueError(
            "The call arguments of a functional model's inbound node must be "
            f"an object. Received: {kwargs!r:.200}"
        )
    arg = tensors[0] if len(tensors) == 1 else tensors
    return {"args": [arg], "kwargs": _convert_kwargs(kwargs, offsets, known)}


def _convert_refs(refs: Any, offsets: dict) -> Any:
    """`input_layers` / `output_layers` with renumbered nodes; a list of a
    single reference is unwrapped."""
    if _is_ref(refs):
        return _renumber(refs, offsets)
    if isinstance(refs, dict):
        return {k: _convert_refs(v, offsets) for k, v in refs.items()}
    if isinstance(refs, list):
        items = [_convert_refs(r, offsets) for r in refs]
        if len(items) == 1 and _is_ref(items[0]):
            return items[0]
        return items
    return refs


def _renumber(ref: list, offsets: dict) -> list:
    return _tensor(ref, offsets)["config"]["keras_history"]
