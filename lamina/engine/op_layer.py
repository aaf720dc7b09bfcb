"""Plain functions (`lamina.ops`) called on symbolic tensors become graph
nodes: each call makes a `FunctionOperation` holding the function."""

from __future__ import annotations

from typing import Any, Callable

from lamina.engine import naming
from lamina.engine import shape_inference
from lamina.engine.base_operation import Operation
from lamina.engine.node import Node


class FunctionOperation(Operation):
    """A stateless graph operation wrapping a function."""

    def __init__(self, fn: Callable[..., Any], name: str | None = None) -> None:
        self.fn = fn
        base = getattr(fn, "__name__", "op").lstrip("_") or "op"
        super().__init__(name=name or naming.auto_name(base))

    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Replayed by the graph on real tensors only: no symbolic check.
        return self.fn(*args, **kwargs)


def call_op_symbolically(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Trace `fn` for output shapes and record a node for it."""
    op = FunctionOperation(getattr(fn, "__wrapped__", fn))
    # Ops whose output shapes depend on values (`nonzero`, `unique`) say
    # what they give symbolically, as Keras's `compute_output_spec` does.
    spec = getattr(op.fn, "symbolic_spec", None)
    if spec is not None:
        outputs = spec(*args, **kwargs)
    else:
        outputs = shape_inference.compute_output_spec(op.fn, args, kwargs, op)
    Node(op, args, kwargs, outputs)
    return outputs
