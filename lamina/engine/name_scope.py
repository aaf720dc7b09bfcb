"""Name scopes: where a weight's `path` (`"sequential/dense/kernel"`)
comes from.

Keras builds a weight's path from the scopes open when it is created: a
layer opens its own scope while it builds and on its first call, so a
weight made by a layer built inside a `Sequential` (or an `RNN`'s cell,
or a `MultiHeadAttention`'s projections) gets the enclosing names too. A
layer remembers the path it was first opened under (`_parent_path`) and
reopens there, so a later call from elsewhere does not move its weights.
The stack is per thread.
"""

from __future__ import annotations

import threading
from typing import Any

_local = threading.local()


def _stack() -> list[Any]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


class name_scope:
    """A sub-namespace for weight paths (Keras's `keras.name_scope`).

    Args:
        name: the scope's name (no `/`).
        caller: the object opening it.
        deduplicate: when the innermost scope has the same `caller` (not
            None) and name, entering adds no level.
        override_parent: a path that replaces the enclosing scopes'.

    Example:

    >>> import lamina
    >>> with lamina.name_scope("outer"):
    ...     with lamina.name_scope("inner"):
    ...         current_path()
    'outer/inner'
    >>> with lamina.name_scope("block"):
    ...     layer = lamina.layers.Dense(2, name="proj")
    ...     layer.build((None, 3))
    >>> layer.kernel.path
    'block/proj/kernel'
    """

    def __init__(
        self,
        name: str,
        caller: Any = None,
        deduplicate: bool = True,
        override_parent: Any = None,
    ):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain "
                f"character `/`. Received: name={name!r}"
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pushed = False

    def __enter__(self) -> name_scope:
        stack = _stack()
        top = stack[-1] if stack else None
        if (
            self.deduplicate
            and top is not None
            and self.caller is not None
            and top.caller is self.caller
            and top.name == self.name
        ):
            return self
        stack.append(self)
        self._pushed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pushed:
            _stack().pop()
            self._pushed = False


def current_path() -> str:
    """The `/`-joined names of the open scopes."""
    parts: list[str] = []
    for scope in _stack():
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)


def is_open(caller: Any) -> bool:
    """Whether `caller`'s scope is the innermost one."""
    stack = _stack()
    return bool(stack) and stack[-1].caller is caller


def layer_scope(layer: Any) -> name_scope:
    """`layer`'s own scope, under the path it was first opened at."""
    if layer.__dict__.get("_parent_path") is None:
        object.__setattr__(layer, "_parent_path", current_path())
    return name_scope(
        layer.name, caller=layer, override_parent=layer._parent_path
    )
