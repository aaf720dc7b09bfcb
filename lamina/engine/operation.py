"""The hook that lets plain functions take symbolic tensors.

Decorating a function with `@symbolic_op` makes it a graph operation when
called with a `SymbolicTensor` anywhere in its arguments (during functional
model construction), and leaves it a plain eager function otherwise. The
eager path costs one cheap scan of the arguments.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import torch


_symbolic_cls: list[type] = []
# Argument types that are never symbolic and hold nothing symbolic.
_PLAIN = frozenset({torch.Tensor, int, float, bool, str, type(None)})


def any_symbolic(
    args: tuple[Any, ...], kwargs: dict[str, Any] | None = None
) -> bool:
    """True when any (nested) argument is a `SymbolicTensor`. Runs on every
    layer call, so plain tensors take a fast path."""
    # Calls on plain tensors and Python scalars (the hot path) skip the
    # scan below.
    for a in args:
        if type(a) not in _PLAIN:
            break
    else:
        if not kwargs:
            return False
        for v in kwargs.values():
            if type(v) not in _PLAIN:
                break
        else:
            return False
    if not _symbolic_cls:
        # Resolved once, lazily: symbolic.py imports this module's users.
        from lamina.engine.symbolic import SymbolicTensor

        _symbolic_cls.append(SymbolicTensor)
    symbolic_cls = _symbolic_cls[0]
    stack = list(args)
    if kwargs:
        stack.extend(kwargs.values())
    while stack:
        x = stack.pop()
        if isinstance(x, symbolic_cls):
            return True
        if isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())
    return False


def symbolic_op(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Make `fn` record a graph node when given symbolic tensors."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if any_symbolic(args, kwargs):
            from lamina.engine.op_layer import call_op_symbolically

            return call_op_symbolically(fn, args, kwargs)
        return fn(*args, **kwargs)

    wrapper.__wrapped__ = fn
    return wrapper
