"""Input handling shared by the activation functions.

Activations run in every layer's forward pass, so a tensor costs them one
inline `isinstance` check. Non-tensor inputs (lists, NumPy arrays) are
converted first, and symbolic tensors (functional model construction) record
a graph node instead of computing.
"""

from __future__ import annotations

from typing import Any, Callable


from lamina.engine.operation import any_symbolic
from lamina.ops._convert import to_tensor


def convert_and_call(fn: Callable, x: Any, *args: Any) -> Any:
    """Call activation `fn` on a non-tensor `x`.

    Each activation checks `isinstance(x, torch.Tensor)` inline and comes
    here otherwise: that keeps the tensor path free of a wrapper's call
    frame and argument packing. A symbolic `x` (functional model
    construction) records a graph node; anything else is converted with
    `ops._convert.to_tensor` (Keras's `convert_to_tensor` rules).
    """
    if any_symbolic((x,)):
        from lamina.engine.op_layer import call_op_symbolically

        return call_op_symbolically(fn, (x, *args), {})
    return fn(to_tensor(x), *args)
