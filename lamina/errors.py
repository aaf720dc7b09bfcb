"""Shared error helpers and message constants.

Every user-facing error in lamina names the object, the argument, what was
expected and what was received (`Received: x=...`). The helpers here keep
those messages uniform.
"""

from __future__ import annotations

from typing import Any


class LaminaWarning(UserWarning):
    """Base class of lamina's own warnings (made errors in the test suite)."""


def format_shape(shape: Any) -> str:
    """Render a shape as Keras does: `(None, 3)`."""
    if shape is None:
        return "None"
    shape = tuple(shape)
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def format_value(value: Any) -> str:
    """Render a value for an error message, tensors by shape and dtype."""
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        name = type(value).__name__
        return f"<{name} shape={format_shape(shape)}, dtype={dtype}>"
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def invalid_argument(cls: Any, arg: str, expected: str, value: Any) -> str:
    """The §3.6 message for an invalid constructor or function argument."""
    owner = cls if isinstance(cls, str) else getattr(cls, "__name__", cls)
    return (
        f"Invalid value for argument `{arg}` of {owner}: expected "
        f"{expected}. Received: {arg}={format_value(value)}"
    )


def unrecognized_kwargs(cls: Any, kwargs: dict) -> str:
    owner = getattr(cls, "__name__", cls)
    return f"Unrecognized keyword arguments passed to {owner}: {kwargs}"


MISSING_SUPER_INIT = (
    "It looks like `super().__init__()` was not called in the constructor "
    "of {cls}. Call it first:\n"
    "    def __init__(self, **kwargs):\n"
    "        super().__init__(**kwargs)\n"
    "        ..."
)

FIT_BEFORE_COMPILE = (
    "You must call `compile()` before using the model for training or "
    "evaluation. For example: model.compile(optimizer='adam', loss='mse')"
)
