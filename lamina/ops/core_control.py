"""Control flow over functions: `map`, `scan`, `associative_scan`,
`switch`, `vectorized_map` (`custom_gradient` is in
`core_custom_gradient.py`).

The loops run as Python loops on torch (as Keras's torch backend runs
them), so they work eagerly, under autograd and under `torch.compile`
(which unrolls them). Nested inputs follow Keras's tree order (sorted dict
keys).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

import torch

from lamina.engine.operation import symbolic_op
from lamina.ops._convert import to_tensor
from lamina.utils import tree


def _check_callable(name: str, arg: str, fn: Any) -> None:
    if not callable(fn):
        raise TypeError(
            f"Invalid value for argument `{arg}` of ops.{name}: expected a "
            f"callable. Received: {arg}={fn!r}"
        )


def _stack_structure(items: list) -> Any:
    """Stack a list of same-structured outputs leaf by leaf."""
    flat = [tree.flatten(item) for item in items]
    stacked = [
        torch.stack([to_tensor(v) for v in leaves]) for leaves in zip(*flat)
    ]
    return tree.pack_sequence_as(items[0], stacked)


@symbolic_op
def map(f: Callable, xs: Any) -> Any:
    """Map `f` over the leading axis of `xs`, stacking the results.

    Args:
        f: Callable applied to each slice `xs[i]` (same structure as `xs`).
        xs: A tensor or nested structure of tensors with a shared leading
            axis.

    Returns:
        The outputs of `f`, stacked along a new leading axis.

    Example:

    >>> from lamina import ops
    >>> ops.map(lambda x: x * 2, ops.arange(3)).tolist()
    [0, 2, 4]
    """
    _check_callable("map", "f", f)
    flat = [to_tensor(x) for x in tree.flatten(xs)]
    nested = tree.is_nested(xs)
    outs = []
    for i in range(flat[0].shape[0]):
        row = [x[i] for x in flat]
        outs.append(f(tree.pack_sequence_as(xs, row) if nested else row[0]))
    return _stack_structure(outs)


@symbolic_op
def scan(
    f: Callable,
    init: Any,
    xs: Any = None,
    length: int | None = None,
    reverse: bool = False,
    unroll: int | bool = 1,
) -> tuple:
    """Scan `f` over the leading axis of `xs`, carrying a state.

    Runs `carry, y = f(carry, x)` for each slice `x` of `xs` and stacks
    the `y`s, as `jax.lax.scan` does.

    Args:
        f: Callable `(carry, x) -> (new_carry, y)`.
        init: The initial carry (a tensor or nested structure).
        xs: Values to scan over along their leading axis, or `None`
            (then `f` gets `x=None` `length` times).
        length: Number of steps; required when `xs` is `None`.
        reverse: If `True`, scan from the end.
        unroll: Accepted for Keras compatibility (loops run in Python).

    Returns:
        A tuple `(final_carry, stacked_ys)`.

    Example:

    >>> from lamina import ops
    >>> carry, ys = ops.scan(lambda c, x: (c + x, c + x), 0, ops.arange(4))
    >>> (carry.item(), ys.tolist())
    (6, [0, 1, 3, 6])
    """
    _check_callable("scan", "f", f)
    if isinstance(unroll, bool) is False and (
        not isinstance(unroll, int) or unroll < 1
    ):
        raise ValueError(
            "Invalid value for argument `unroll` of ops.scan: expected a "
            f"positive integer or a boolean. Received: unroll={unroll}"
        )
    if xs is None and length is None:
        raise ValueError(
            "ops.scan got no `xs` to scan over and no `length`. Received: "
            "xs=None, length=None"
        )
    xs_flat = [] if xs is None else [to_tensor(x) for x in tree.flatten(xs)]
    n = int(length) if length is not None else xs_flat[0].shape[0]
    init_flat = [to_tensor(v) for v in tree.flatten(init)]
    carry = (
        tree.pack_sequence_as(init, init_flat)
        if tree.is_nested(init)
        else init_flat[0]
    )
    steps = builtins.range(n - 1, -1, -1) if reverse else builtins.range(n)
    ys = []
    for i in steps:
        row = [x[i] for x in xs_flat]
        x = (
            None
            if xs is None
            else (
                tree.pack_sequence_as(xs, row) if tree.is_nested(xs) else row[0]
            )
        )
        carry, y = f(carry, x)
        # Keras's torch backend stacks zeros shaped like the carry when
        # `f` returns no `y`.
        ys.append(
            y if y is not None else [torch.zeros_like(v) for v in init_flat]
        )
    if reverse:
        ys.reverse()
    return carry, _stack_structure(ys) if ys else ys


def _along(
    x: torch.Tensor, axis: int, start: int, stop: int | None, step: int = 1
) -> torch.Tensor:
    index = [builtins.slice(None)] * x.ndim
    index[axis] = builtins.slice(start, stop, step)
    return x[tuple(index)]


def _interleave(even: torch.Tensor, odd: torch.Tensor, axis: int):
    """[e0, e1, ...] and [o0, o1, ...] → [e0, o0, e1, o1, ...]."""
    n_odd = odd.shape[axis]
    pairs = torch.stack([_along(even, axis, 0, n_odd), odd], dim=axis + 1)
    merged = pairs.flatten(axis, axis + 1)
    if even.shape[axis] > n_odd:
        merged = torch.cat([merged, _along(even, axis, n_odd, None)], axis)
    return merged


def _parallel_scan(combine: Callable, elems: list, axis: int) -> list:
    # The odd/even recursion of jax.lax.associative_scan: O(log n) calls
    # of `combine`, each on half of the remaining elements.
    n = elems[0].shape[axis]
    if n < 2:
        return elems
    pairs = combine(
        [_along(e, axis, 0, -1, 2) for e in elems],
        [_along(e, axis, 1, None, 2) for e in elems],
    )
    odd = _parallel_scan(combine, pairs, axis)
    if n % 2 == 0:
        even = combine(
            [_along(o, axis, 0, -1) for o in odd],
            [_along(e, axis, 2, None, 2) for e in elems],
        )
    else:
        even = combine(odd, [_along(e, axis, 2, None, 2) for e in elems])
    even = [
        torch.cat([_along(e, axis, 0, 1), r], axis) for e, r in zip(elems, even)
    ]
    return [_interleave(e, o, axis) for e, o in zip(even, odd)]


@symbolic_op
def associative_scan(
    f: Callable, elems: Any, reverse: bool = False, axis: int = 0
) -> Any:
    """Inclusive scan of an associative binary `f` along `axis`.

    Args:
        f: Associative callable `(a, b) -> c` on slices of `elems` (same
            structure), applied element-wise along `axis`.
        elems: A tensor or nested structure of tensors sharing the size
            of `axis`.
        reverse: If `True`, scan from the end.
        axis: The axis to scan along.

    Returns:
        The scanned values, in the structure of `elems`.

    Example:

    >>> from lamina import ops
    >>> ops.associative_scan(lambda a, b: a + b, ops.arange(1, 5)).tolist()
    [1, 3, 6, 10]
    """
    _check_callable("associative_scan", "f", f)
    flat = [to_tensor(e) for e in tree.flatten(elems)]
    sizes = [e.shape[axis] for e in flat]
    if len(set(sizes)) > 1:
        raise ValueError(
            "ops.associative_scan expects every input to have the same size "
            f"along `axis`. Received: shapes={[tuple(e.shape) for e in flat]}"
        )
    if reverse:
        flat = [torch.flip(e, (axis,)) for e in flat]

    def combine(a_flat, b_flat):
        out = f(
            tree.pack_sequence_as(elems, a_flat),
            tree.pack_sequence_as(elems, b_flat),
        )
        return [to_tensor(v) for v in tree.flatten(out)]

    scanned = _parallel_scan(
        combine, flat, axis % builtins.max(flat[0].ndim, 1)
    )
    if reverse:
        scanned = [torch.flip(e, (axis,)) for e in scanned]
    return tree.pack_sequence_as(elems, scanned)


@symbolic_op
def switch(index: Any, branches: list, *operands: Any) -> Any:
    """Apply `branches[index]` to `operands` (`index` clamped to range).

    Args:
        index: An integer scalar (Python or tensor).
        branches: A sequence of callables taking `*operands`.
        *operands: The inputs passed to the chosen branch.

    Returns:
        The output of the chosen branch.

    Example:

    >>> from lamina import ops
    >>> ops.switch(1, [lambda x: x + 1, lambda x: x * 10], 3)
    30
    """
    if isinstance(index, torch.Tensor) and index.device.type == "meta":
        # Shape tracing has no value to branch on; take the first branch.
        return branches[0](*operands)
    i = builtins.min(builtins.max(int(index), 0), len(branches) - 1)
    return branches[i](*operands)


@symbolic_op
def vectorized_map(function: Callable, elements: Any) -> Any:
    """Map `function` over the leading axis of `elements` with `torch.vmap`.

    Args:
        function: Callable applied to one slice of `elements` (same
            structure).
        elements: A tensor or nested structure of tensors.

    Returns:
        The outputs of `function`, stacked along a new leading axis.

    Example:

    >>> from lamina import ops
    >>> ops.vectorized_map(lambda x: ops.sum(x), ops.ones((3, 2))).tolist()
    [2.0, 2.0, 2.0]
    """
    _check_callable("vectorized_map", "function", function)
    elements = tree.map_structure(to_tensor, elements)
    return torch.vmap(function)(elements)
