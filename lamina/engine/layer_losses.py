"""`Layer.add_loss` and `Layer.losses`, and which layers can contribute.

`Model.losses` is read at every training step (`Trainer.compute_loss`).
Walking every sublayer for it costs 10–20 µs a step on a small MLP, for an
answer that is almost always `[]`. So the engine keeps a weak set of the
layers that can contribute a loss: those given a weight regularizer, an
activity regularizer, or that ever called `add_loss`. While no such layer
is alive in the process, `losses` answers `[]` without the walk; this holds
whatever the module tree looks like, so no tree change needs tracking. A
layer made by unpickling or `copy.deepcopy` (neither runs `add_weight`) is
entered by `Layer.__setstate__`.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from lamina.engine import call_context
from lamina.engine.stateless_scope import get_stateless_scope

if TYPE_CHECKING:
    from lamina.engine.layer import Layer

_sources: weakref.WeakSet[Any] = weakref.WeakSet()


def mark_source(layer: Layer) -> None:
    """Record that `layer` can contribute to `losses`."""
    _sources.add(layer)


def can_contribute(layer: Layer) -> bool:
    """Whether `layer` has a regularizer or added losses of its own."""
    return (
        layer.__dict__.get("activity_regularizer") is not None
        or bool(layer.__dict__.get("_losses"))
        or any(
            meta["regularizer"] is not None
            for meta in layer.__dict__.get("_weight_info", {}).values()
        )
    )


def add_loss(layer: Layer, loss: Any) -> None:
    """Add a scalar loss (e.g. from `call`) to `layer.losses`; ignored
    in a symbolic call, as in Keras (a meta tensor has no data)."""
    scope = get_stateless_scope()  # Keras: it collects, not the layer
    if scope is not None and scope.collect_losses:
        scope.add_loss(loss)
    elif scope is None and call_context.state.trace is None:
        layer._losses.append(loss)
        _sources.add(layer)


def losses(layer: Layer) -> list[Any]:
    """Losses added in the last call, plus weight regularization,
    of this layer and every sublayer."""
    if not _sources:
        return []
    # Imported here: layer.py and weights.py import this module.
    from lamina.engine import weight_listing as listing
    from lamina.engine.layer import Layer

    layers = [m for m in layer.modules() if isinstance(m, Layer)]
    return [
        x for m in layers for x in m._losses + listing.regularization_losses(m)
    ]
