"""`eager_only`: `torch.compiler.disable`, without its import cost.

Applying `torch.compiler.disable` imports `torch._dynamo` (over a second
on this machine) when the decorated module is imported. Nothing can be
compiling before dynamo is loaded, so the decorator is applied on the
first call made while compiling.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import torch


def eager_only(fn: Callable) -> Callable:
    """Run `fn` outside any `torch.compile` graph (a graph break).

    Example:

    >>> from lamina.utils.eager import eager_only
    >>> @eager_only
    ... def create_state():
    ...     return 3
    >>> create_state()
    3
    """
    disabled: list = []

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if not torch.compiler.is_compiling():
            return fn(*args, **kwargs)
        if not disabled:
            disabled.append(torch.compiler.disable(fn))
        return disabled[0](*args, **kwargs)

    return call
