"""`model.summary()`: Keras's table of layers, output shapes and params."""

from __future__ import annotations

from typing import Any

from typing import Callable

import numpy as np

from lamina.errors import format_shape
from lamina.utils import tree

_WIDTHS = (33, 24, 15)


def _row(cells, left="│", mid="│", right="│", align=("l", "l", "r")) -> str:
    parts = []
    for cell, width, how in zip(cells, _WIDTHS, align):
        text = f" {cell} " if how == "l" else f" {cell} "
        text = text.ljust(width) if how == "l" else text.rjust(width)
        parts.append(text[:width] if len(text) > width else text)
    return left + mid.join(parts) + right


def _rule(left: str, mid: str, right: str, fill: str) -> str:
    return left + mid.join(fill * w for w in _WIDTHS) + right


def _output_shape(layer) -> str:
    if not layer._inbound_nodes:
        return "?"
    out = layer._inbound_nodes[-1].outputs_structure
    shapes = tree.map_structure(lambda t: getattr(t, "shape", t), out)
    if isinstance(shapes, tuple) and all(
        isinstance(d, int) or d is None for d in shapes
    ):
        return format_shape(shapes)
    # Several outputs, as Keras prints them: [(None, 64), (None, 64)]
    return (
        "["
        + ", ".join(
            format_shape(s) if s is not None else "?"
            for s in _as_shape_list(out)
        )
        + "]"
    )


def _as_shape_list(out):
    return [getattr(t, "shape", None) for t in tree.flatten(out)]


def _params(layer) -> int:
    try:
        return layer.count_params()
    except ValueError:
        return 0


def _bytes(tensors) -> str:
    size = sum(t.numel() * t.element_size() for t in tensors)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} GB"


def _count(tensors) -> int:
    return int(sum(int(np.prod(t.shape)) for t in tensors))


def print_summary(
    model: Any,
    line_length: Any = None,
    print_fn: Callable | None = None,
    show_trainable: bool = False,
) -> None:
    """Print `model`'s summary table (to stdout, or through `print_fn`)."""
    layers = model.layers
    if model.is_graph_network and type(model).__name__ != "Sequential":
        from lamina.layers.core.input_layer import InputLayer

        layers = [
            op
            for op in model._graph.operations()
            if hasattr(op, "count_params") or isinstance(op, InputLayer)
        ]
    lines = [
        f'Model: "{model.name}"',
        _rule("┏", "┳", "┓", "━"),
        _row(("Layer (type)", "Output Shape", "Param #"), "┃", "┃", "┃"),
        _rule("┡", "╇", "┩", "━"),
    ]
    for i, layer in enumerate(layers):
        if i:
            lines.append(_rule("├", "┼", "┤", "─"))
        name = f"{layer.name} ({type(layer).__name__})"
        lines.append(_row((name, _output_shape(layer), f"{_params(layer):,}")))
    lines.append(_rule("└", "┴", "┘", "─"))
    weights = model.weights if model.built else []
    trainable = model.trainable_weights if model.built else []
    frozen = model.non_trainable_weights if model.built else []
    lines.append(f" Total params: {_count(weights):,} ({_bytes(weights)})")
    lines.append(
        f" Trainable params: {_count(trainable):,} ({_bytes(trainable)})"
    )
    lines.append(
        f" Non-trainable params: {_count(frozen):,} ({_bytes(frozen)})"
    )
    text = "\n".join(lines)
    if print_fn is None:
        print(text)
    else:
        print_fn(text + "\n")
