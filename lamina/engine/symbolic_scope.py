"""`SymbolicScope`: marks code that runs on shape-only tensors."""

from __future__ import annotations

import threading

_local = threading.local()


def in_symbolic_scope() -> bool:
    """Whether a `SymbolicScope` is open in this thread."""
    return bool(getattr(_local, "depth", 0))


class SymbolicScope:
    """A scope marking symbolic execution (Keras's `keras.SymbolicScope`).

    Code may ask `in_symbolic_scope()` to skip work that only matters on
    real data; lamina opens one while it infers output shapes (tracing a
    layer's `call` on shape-only `meta` tensors), as Keras does.

    Example:

    >>> import lamina
    >>> from lamina.engine.symbolic_scope import in_symbolic_scope
    >>> with lamina.SymbolicScope():
    ...     in_symbolic_scope()
    True
    >>> in_symbolic_scope()
    False
    """

    def __enter__(self) -> SymbolicScope:
        _local.depth = getattr(_local, "depth", 0) + 1
        return self

    def __exit__(self, *exc: object) -> None:
        _local.depth -= 1
