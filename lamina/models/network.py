"""How a model behaves as a network: a graph of layers, or a `call`.

A functional model (and a `Sequential` once its input shape is known) runs
a recorded graph; a subclassed model runs its own `call`. The difference
is one strategy object, `model._network`, that `Model`'s methods delegate
to instead of testing for a graph in each method:

- `GraphNetwork(graph)`: `call` runs the graph, `layers` are the graph's
  layers in order, `inputs`/`outputs` are the graph's ends, the config is
  Keras's functional config;
- `SUBCLASSED`: `call` must be overridden, `layers` are the direct
  sublayers, and there are no symbolic ends.

`model.is_graph_network` (Keras's name) answers which one a model has.
"""

from __future__ import annotations

from typing import Any

from lamina.engine.graph import Graph


class Subclassed:
    """The behaviour of a model that defines its own `call`."""

    is_graph_network = False
    graph: Graph | None = None

    def call(self, model: Any, inputs: Any, mask: Any = None) -> Any:
        raise NotImplementedError(
            f"Model {type(model).__name__} has no `call()` method. "
            "Subclasses of Model define `call(self, inputs)`, or pass "
            "`inputs` and `outputs` to build a functional model."
        )

    def layers(self, model: Any) -> list:
        from lamina.models.model import child_layers

        return child_layers(model)

    def ends(self, model: Any, which: str) -> Any:
        """`inputs`/`outputs`: a subclassed model has none."""
        return None

    def structure(self, model: Any, which: str) -> Any:
        """`input`/`output`: those of the first symbolic call, if any."""
        from lamina.engine.layer import Layer

        return getattr(Layer, which).fget(model)

    def get_config(self, model: Any) -> dict:
        from lamina.engine.layer import Layer

        return Layer.get_config(model)


class GraphNetwork(Subclassed):
    """The behaviour of a model that runs a recorded graph of layers."""

    is_graph_network = True
    graph: Graph  # always set: a graph network has its graph

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def call(self, model: Any, inputs: Any, mask: Any = None) -> Any:
        from lamina.models import functional

        return functional.run_graph(model, inputs, mask)

    def layers(self, model: Any) -> list:
        from lamina.models import functional

        return functional.graph_layers(model)

    def ends(self, model: Any, which: str) -> Any:
        return self.graph.inputs if which == "inputs" else self.graph.outputs

    def structure(self, model: Any, which: str) -> Any:
        return (
            model._inputs_struct if which == "input" else model._outputs_struct
        )

    def get_config(self, model: Any) -> dict:
        from lamina.models import serialization

        return serialization.functional_config(model)


SUBCLASSED = Subclassed()


def set_graph(model: Any, graph: Graph | None) -> None:
    """Give `model` the graph behaviour (or take it away, with None)."""
    object.__setattr__(model, "_graph", graph)
    network = SUBCLASSED if graph is None else GraphNetwork(graph)
    object.__setattr__(model, "_network", network)
