"""Training-flag propagation across nested layer calls (Keras CallContext).

The outermost `Layer.__call__` opens a context holding the resolved
`training` value; nested calls inherit it. A nested call given its own
explicit value (`base_model(x, training=False)`) overrides it for the
layers inside that call only.
"""

from __future__ import annotations

from typing import Any

import threading

_local = threading.local()


class CallContext:
    __slots__ = ("training",)

    def __init__(self, training: Any):
        self.training = training


def current() -> CallContext | None:
    return getattr(_local, "ctx", None)


def enter(training: bool | None) -> Any:
    """Open or update the context; returns a token for `leave`."""
    ctx = getattr(_local, "ctx", None)
    if ctx is None:
        _local.ctx = CallContext(training)
        return (None, None)
    if training is not None and training != ctx.training:
        previous = ctx.training
        ctx.training = training
        return (ctx, previous)
    return False


def leave(token: Any) -> None:
    if token is False:
        return
    ctx, previous = token
    if ctx is None:
        _local.ctx = None
    else:
        ctx.training = previous
