"""`plot_model` and `model_to_dot`.

Keras draws with pydot and a system Graphviz install, and fails without
it. lamina lays the graph out itself (`model_graph.py`, pure Python) and
draws it with matplotlib, which ships as a wheel with its own fonts and
writes PNG, SVG, PDF (and JPEG with Pillow) with no system package:
`pip install lamina[plot]` is all it takes. A `.dot` file name writes
the Graphviz source instead.

`model_to_dot` returns a `pydot.Dot` when pydot is installed (as Keras
does; rendering it with `write_png` still needs Graphviz), otherwise a
`DotGraph`, lamina's small stand-in with `to_string()`, `get_nodes()`,
`get_edges()` and `write(path)`.
"""

from __future__ import annotations

import os
from typing import Any

from lamina.utils.model_graph import ModelGraph, build_graph

_FONT_SIZE = 9
_CHAR_W, _LINE_H = 0.075, 0.19  # inches per character / per line at 9 pt
_GAP_X, _GAP_Y = 0.35, 0.45


class DotGraph:
    """The Graphviz (DOT) description of a model's graph.

    Its nodes are `(key, label)` pairs and its edges `(from, to)` key
    pairs; `to_string()` is the DOT source.
    """

    def __init__(
        self,
        graph: ModelGraph,
        rankdir: str,
        dpi: int,
        splines: str,
        subgraph: bool,
    ):
        self.graph, self.rankdir, self.dpi = graph, rankdir, dpi
        self.splines, self.subgraph = splines, subgraph

    def get_nodes(self) -> list:
        return [(k, "\n".join(n.lines)) for k, n in self.graph.nodes.items()]

    def get_edges(self) -> list:
        return list(self.graph.edges)

    def to_string(self) -> str:
        def q(s):
            return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'

        kind = "subgraph" if self.subgraph else "digraph"
        lines = [
            f"{kind} G {{",
            f"rankdir={self.rankdir};",
            f"concentrate=True; dpi={self.dpi}; splines={self.splines};",
            "node [shape=record];",
        ]
        for key, node in self.graph.nodes.items():
            label = "\\n".join(line.replace('"', "'") for line in node.lines)
            lines.append(f'{q(key)} [label="{label}"];')
        lines += [f"{q(a)} -> {q(b)};" for a, b in self.graph.edges]
        return "\n".join(lines + ["}"]) + "\n"

    def write(self, path: str) -> None:
        with open(path, "w") as f:
            f.write(self.to_string())


def _check(rankdir: str) -> None:
    if rankdir not in ("TB", "LR"):
        raise ValueError(
            "Invalid value for argument `rankdir` of plot_model: expected "
            f"'TB' or 'LR'. Received: rankdir={rankdir!r}"
        )


def model_to_dot(
    model: Any,
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    subgraph: bool = False,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    splines: str = "ortho",
    **kwargs: Any,
) -> Any:
    """The model's graph in Graphviz form: a `pydot.Dot` when pydot is
    installed, else a `lamina.utils.model_visualization.DotGraph`.

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> dot = lamina.utils.model_to_dot(model, show_shapes=True)
    >>> "Output shape: (None, 2)" in dot.to_string()
    True
    """
    _check(rankdir)
    graph = build_graph(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        expand_nested=expand_nested,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    dot = DotGraph(graph, rankdir, dpi, splines, subgraph)
    try:
        import pydot
    except ImportError:
        return dot
    return pydot.graph_from_dot_data(dot.to_string())[0]


def plot_model(
    model: Any,
    to_file: str = "model.png",
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = False,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    splines: str = "ortho",
    **kwargs: Any,
) -> Any:
    """Draw the model's layer graph into `to_file` (`.png`, `.svg`,
    `.pdf`, `.jpg`; `.dot` writes the Graphviz source). Needs matplotlib
    (`pip install lamina[plot]`), no system Graphviz.

    Returns an `IPython.display.Image` of a PNG in a notebook, else None.
    """
    _check(rankdir)
    opts = {
        "show_shapes": show_shapes,
        "show_dtype": show_dtype,
        "show_layer_names": show_layer_names,
        "expand_nested": expand_nested,
        "show_layer_activations": show_layer_activations,
        "show_trainable": show_trainable,
    }
    graph = build_graph(model, **opts)
    extension = os.path.splitext(str(to_file))[1].lower().lstrip(".") or "png"
    if extension == "dot":
        DotGraph(graph, rankdir, dpi, splines, False).write(to_file)
        return None
    _draw(graph, to_file, extension, rankdir, dpi)
    return _notebook_image(to_file, extension)


def _notebook_image(path, extension):
    if extension != "png":
        return None
    try:
        from IPython import get_ipython
        from IPython.display import Image
    except ImportError:
        return None
    return Image(filename=path) if get_ipython() is not None else None


def _boxes(graph: ModelGraph, rankdir: str) -> dict:
    """Centre (x, y) and size (w, h), in inches, of each node's box."""
    sizes = {
        k: (
            max(len(s) for s in n.lines) * _CHAR_W + 0.3,
            len(n.lines) * _LINE_H + 0.2,
        )
        for k, n in graph.nodes.items()
    }
    width = max(w for w, _ in sizes.values()) + _GAP_X
    height = max(h for _, h in sizes.values()) + _GAP_Y
    boxes = {}
    for key, node in graph.nodes.items():
        if rankdir == "TB":
            x, y = node.order * width, -node.rank * height
        else:
            x, y = node.rank * width, -node.order * height
        boxes[key] = (x, y) + sizes[key]
    return boxes


def _draw(
    graph: ModelGraph, path: str, extension: str, rankdir: str, dpi: int
) -> None:
    try:
        # A bare Figure (no pyplot) renders off-screen without touching
        # the user's interactive backend.
        from matplotlib import patches
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(
            "plot_model needs matplotlib: `pip install lamina[plot]` (no "
            "system Graphviz is needed)."
        ) from None
    boxes = _boxes(graph, rankdir)
    xs = [x + s * w / 2 for x, _, w, _ in boxes.values() for s in (-1, 1)]
    ys = [y + s * h / 2 for _, y, _, h in boxes.values() for s in (-1, 1)]
    fig = Figure(figsize=(max(xs) - min(xs) + 0.4, max(ys) - min(ys) + 0.4))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(min(xs) - 0.2, max(xs) + 0.2)
    ax.set_ylim(min(ys) - 0.2, max(ys) + 0.2)
    ax.axis("off")
    _draw_edges(ax, graph, boxes, rankdir)
    for key, (x, y, w, h) in boxes.items():
        ax.add_patch(
            patches.FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0.02",
                facecolor="#eef3fb",
                edgecolor="0.3",
                linewidth=0.8,
            )
        )
        ax.text(
            x,
            y,
            "\n".join(graph.nodes[key].lines),
            ha="center",
            va="center",
            fontsize=_FONT_SIZE,
            family="DejaVu Sans",
        )
    fig.savefig(path, format=extension, dpi=dpi)


def _draw_edges(ax, graph: ModelGraph, boxes: dict, rankdir: str) -> None:
    for src, dst in graph.edges:
        (x0, y0, w0, h0), (x1, y1, w1, h1) = boxes[src], boxes[dst]
        start = (x0, y0 - h0 / 2) if rankdir == "TB" else (x0 + w0 / 2, y0)
        end = (x1, y1 + h1 / 2) if rankdir == "TB" else (x1 - w1 / 2, y1)
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "0.25",
                "shrinkA": 0,
                "shrinkB": 0,
                "lw": 0.8,
            },
        )
