"""The `@op` decorator every public op wears.

It does two things:

- makes the op symbolic-aware (`lamina.engine.operation.symbolic_op`), so
  that calling it on `SymbolicTensor`s records a graph node;
- turns a low-level torch failure (`RuntimeError: The size of tensor a (3)
  must match ...`) into a `ValueError` (or `TypeError` for dtype problems)
  that names the op and shows what it received. The happy path pays only
  for a `try` block, which is free in CPython 3.11+.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

import torch

from lamina.engine.op_layer import call_op_symbolically
from lamina.engine.operation import any_symbolic
from lamina.errors import format_value


def _describe_arguments(fn: Callable, args: tuple, kwargs: dict) -> str:
    try:
        bound = inspect.signature(fn).bind_partial(*args, **kwargs)
        items = bound.arguments.items()
    except TypeError:
        items = [(f"arg{i}", a) for i, a in enumerate(args)]
        items += list(kwargs.items())
    parts = []
    for name, value in items:
        if isinstance(value, (list, tuple)) and any(
            isinstance(v, torch.Tensor) for v in value
        ):
            inner = ", ".join(format_value(v) for v in value)
            value_text = f"[{inner}]"
        else:
            value_text = format_value(value)
        parts.append(f"{name}={value_text}")
    return ", ".join(parts)


def _is_dtype_problem(message: str) -> bool:
    words = (
        "not implemented for",
        "dtype",
        "expected scalar type",
        "Boolean value",
        "cannot be cast",
        "result type",
        "bool tensor",
        "Integers to negative",
    )
    return any(w in message for w in words)


def op_error(
    name: str, fn: Callable, err: Exception, args: tuple, kwargs: dict
) -> Exception:
    """The user-facing exception for a torch failure inside `ops.<name>`."""
    text = str(err).strip()
    detail = text.splitlines()[0].rstrip(".") if text else type(err).__name__
    cls = (
        TypeError
        if isinstance(err, TypeError) or _is_dtype_problem(detail)
        else ValueError
    )
    return cls(
        f"`ops.{name}` could not be computed: {detail}. "
        f"Received: {_describe_arguments(fn, args, kwargs)}"
    )


def _translate(
    name: str, fn: Callable, err: Exception, args: tuple, kwargs: dict
) -> Exception | None:
    """The op-level exception for `err`, or None to re-raise it as is."""
    if isinstance(err, torch.OutOfMemoryError):
        return None
    if isinstance(err, NotImplementedError):
        # torch's "\"op_cpu\" not implemented for 'Bool'" is a dtype
        # problem (a TypeError); other NotImplementedErrors pass.
        if "not implemented for '" not in str(err):
            return None
    elif isinstance(err, TypeError) and "Received:" in str(err):
        return None  # Already one of our messages.
    return op_error(name, fn, err, args, kwargs)


_TRANSLATED = (RuntimeError, IndexError, TypeError, NotImplementedError)


def op(fn: Callable) -> Callable:
    """Decorate a public op: symbolic-aware, with op-level error messages.

    One wrapper does both jobs, so an eager call on tensors pays for a
    single extra Python frame (see bench/ops_overhead.py).
    """
    name = fn.__name__

    @functools.wraps(fn)
    def checked(*args: Any, **kwargs: Any):
        try:
            return fn(*args, **kwargs)
        except _TRANSLATED as e:
            translated = _translate(name, fn, e, args, kwargs)
            if translated is None:
                raise
            raise translated from e

    @functools.wraps(fn)
    def public(*args: Any, **kwargs: Any):
        if any_symbolic(args, kwargs):
            return call_op_symbolically(checked, args, kwargs)
        try:
            return fn(*args, **kwargs)
        except _TRANSLATED as e:
            translated = _translate(name, fn, e, args, kwargs)
            if translated is None:
                raise
            raise translated from e

    # The engine traces `checked` (with the error translation) for
    # symbolic calls; `__wrapped__` points there, not at the raw `fn`. The
    # signature is kept for `help()` and argument binding.
    del checked.__wrapped__
    public.__wrapped__ = checked
    public.__signature__ = inspect.signature(fn)
    return public
