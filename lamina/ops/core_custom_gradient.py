"""`custom_gradient`: a function whose gradient is the one it returns,
on a `torch.autograd.Function`."""

from __future__ import annotations

import builtins
import inspect
from collections.abc import Callable
from typing import Any

import torch

from lamina.engine.operation import symbolic_op
from lamina.ops.core_control import _check_callable


class _CustomGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, forward_fn, n_args, *flat):
        args, tensor_slots = list(flat[:n_args]), []
        for i, a in enumerate(args):
            if isinstance(a, torch.Tensor):
                tensor_slots.append(i)
        output, ctx.grad_fn = forward_fn(*args)
        ctx.n_args, ctx.args = n_args, args
        ctx.save_for_backward(*[args[i] for i in tensor_slots])
        ctx.tensor_slots = tensor_slots
        return output

    @staticmethod
    def backward(ctx, *upstream):
        args = list(ctx.args)
        for slot, saved in zip(ctx.tensor_slots, ctx.saved_tensors):
            args[slot] = saved
        up = upstream[0] if len(upstream) == 1 else upstream
        grads = _call_grad_fn(ctx.grad_fn, args, up)
        grads = tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)
        return (None, None) + grads + (None,) * (ctx.n_args - len(grads))


def _call_grad_fn(grad_fn: Callable, args: list, upstream: Any) -> Any:
    # Keras documents three spellings of `grad_fn`: `grad(upstream)`
    # (JAX/TF), `grad(*args, upstream)` and `grad(*args, upstream=None)`.
    params = list(inspect.signature(grad_fn).parameters.values())
    takes_args = builtins.any(p.kind is p.VAR_POSITIONAL for p in params)
    if takes_args or len(params) == len(args) + 1:
        return grad_fn(*args, upstream=upstream)
    return grad_fn(upstream)


def custom_gradient(f: Callable) -> Callable:
    """Decorate `f` so that its gradient is the one `f` returns.

    `f(*args)` returns `(output, grad_fn)`; `grad_fn(upstream)` (or
    `grad_fn(*args, upstream=...)`, as Keras's torch backend calls it)
    returns one gradient per argument.

    Args:
        f: The function to decorate.

    Returns:
        A function with `f`'s output and the custom gradient.

    Example:

    >>> import torch
    >>> from lamina import ops
    >>> @ops.custom_gradient
    ... def double_grad(x):
    ...     return x * 1.0, lambda upstream: upstream * 2.0
    >>> x = torch.ones(2, requires_grad=True)
    >>> double_grad(x).sum().backward()
    >>> x.grad.tolist()
    [2.0, 2.0]
    """
    _check_callable("custom_gradient", "f", f)

    def wrapper(*args: Any) -> Any:
        return _CustomGradient.apply(f, len(args), *args)

    wrapper.__name__ = getattr(f, "__name__", "custom_gradient")
    wrapper.__doc__ = f.__doc__
    return symbolic_op(wrapper)
