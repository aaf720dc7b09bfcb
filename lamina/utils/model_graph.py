"""A model's layer graph for `plot_model`/`model_to_dot`: the boxes (one
per layer, with Keras's label contents), the arrows, and a layered
layout (Sugiyama style: longest-path ranks, barycentre ordering) computed
in pure Python so that drawing needs no Graphviz install."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, field

from lamina.errors import format_shape
from lamina.utils import tree


@dataclass
class GraphNode:
    key: str
    lines: list
    rank: int = 0
    order: float = 0.0
    cluster: str | None = None


@dataclass
class ModelGraph:
    nodes: dict = field(default_factory=dict)
    edges: list = field(default_factory=list)
    clusters: dict = field(default_factory=dict)


def _shapes(tensors) -> str:
    shapes = [getattr(t, "shape", None) for t in tree.flatten(tensors)]
    shapes = [format_shape(s) if s is not None else "?" for s in shapes]
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _label(layer, opts: dict) -> list:
    name, cls = layer.name, type(layer).__name__
    lines = [f"{name} ({cls})" if opts["show_layer_names"] else cls]
    activation = getattr(layer, "activation", None)
    if opts["show_layer_activations"] and activation is not None:
        act = getattr(activation, "__name__", type(activation).__name__)
        lines.append(f"Activation: {act}")
    if opts["show_dtype"]:
        lines.append(f"dtype: {layer.dtype_policy.name}")
    nodes = getattr(layer, "_inbound_nodes", None)
    if opts["show_shapes"] and nodes:
        node = nodes[0]
        if node.input_tensors:
            lines.append(f"Input shape: {_shapes(node.input_tensors)}")
        lines.append(f"Output shape: {_shapes(node.outputs)}")
    if opts["show_trainable"]:
        lines.append(f"Trainable: {bool(layer.trainable)}")
    return lines


def _is_model(layer) -> bool:
    return hasattr(layer, "layers") and hasattr(layer, "_inbound_nodes")


def _parents(layer, members: set) -> list:
    out = []
    for node in getattr(layer, "_inbound_nodes", [])[:1]:
        for t in node.input_tensors:
            history = getattr(t, "_keras_history", None)
            if history is not None and id(history.operation) in members:
                out.append(history.operation)
    return out


def _add_model(
    graph: ModelGraph, model, opts: dict, prefix: str, cluster: str | None
) -> tuple[list, list]:
    """Add `model`'s layers; return its (entry, exit) node keys."""
    layers = list(model.layers)
    members = {id(layer) for layer in layers}
    ends: dict = {}
    sequential = not any(_parents(layer, members) for layer in layers)
    previous: list = []
    first: list = []
    for layer in layers:
        key = prefix + layer.name
        if opts["expand_nested"] and _is_model(layer) and layer.layers:
            graph.clusters[key] = layer.name
            entry, exit_ = _add_model(graph, layer, opts, key + "/", key)
        else:
            graph.nodes[key] = GraphNode(
                key, _label(layer, opts), cluster=cluster
            )
            entry, exit_ = [key], [key]
        ends[id(layer)] = exit_
        parents = (
            previous
            if sequential
            else [k for p in _parents(layer, members) for k in ends[id(p)]]
        )
        for src in parents:
            for dst in entry:
                graph.edges.append((src, dst))
        if not parents:
            first.extend(entry)
        previous = exit_
    last = (
        previous
        if sequential
        else [
            k
            for layer in layers
            for k in ends[id(layer)]
            if not any(e[0] == k for e in graph.edges)
        ]
    )
    return first, last


def build_graph(model: Any, **opts: Any) -> ModelGraph:
    """The layer graph of a built Sequential or functional model."""
    if not getattr(model, "built", False) or not hasattr(model, "layers"):
        raise ValueError(
            "Invalid value for argument `model` of plot_model/model_to_dot: "
            "expected a built Sequential or functional model (call it on "
            "data, or give Sequential an Input). Received: "
            f"{type(model).__name__} (built={getattr(model, 'built', None)})"
        )
    graph = ModelGraph()
    _add_model(graph, model, opts, "", None)
    _layout(graph)
    return graph


def _layout(graph: ModelGraph) -> None:
    """Rank = longest path from a source; order within a rank by the mean
    position of the parents (then of the children), twice."""
    parents: dict = {k: [] for k in graph.nodes}
    children: dict = {k: [] for k in graph.nodes}
    for src, dst in graph.edges:
        parents[dst].append(src)
        children[src].append(dst)
    for key in graph.nodes:  # layers come in topological order
        ranks = [graph.nodes[p].rank + 1 for p in parents[key]]
        graph.nodes[key].rank = max(ranks, default=0)
    by_rank: dict = {}
    for i, node in enumerate(graph.nodes.values()):
        node.order = float(i)
        by_rank.setdefault(node.rank, []).append(node)
    for neighbours in (parents, children, parents):
        for rank in sorted(by_rank):
            row = by_rank[rank]
            for node in row:
                near = [graph.nodes[k].order for k in neighbours[node.key]]
                if near:
                    node.order = sum(near) / len(near)
            row.sort(key=lambda n: n.order)
            for i, node in enumerate(row):
                node.order = float(i) - (len(row) - 1) / 2
