"""`vectorize`: NumPy's `np.vectorize` on `torch.vmap`.

The loop axes of all arguments (those left of each argument's core axes)
broadcast together, are flattened into one batch axis and mapped over with
a single `torch.vmap`; the outputs get the loop shape back. A gufunc
`signature` such as `"(n),(n)->()"` names the core axes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import torch

from lamina.engine.operation import symbolic_op
from lamina.ops._convert import to_tensor

_DIMS = re.compile(r"\(([^()]*)\)")


def _parse_signature(signature: str) -> tuple:
    """`"(m,n),(n)->(m)"` → `([("m","n"), ("n",)], [("m",)])`."""
    if not re.fullmatch(
        r"\s*(\([\w, ]*\)\s*,?\s*)*->\s*(\([\w, ]*\)\s*,?"
        r"\s*)*",
        signature,
    ):
        raise ValueError(
            "Invalid value for argument `signature` of ops.vectorize: "
            f"expected a gufunc signature such as '(n),(n)->()'. "
            f"Received: signature={signature!r}"
        )
    left, right = signature.split("->")

    def dims(side):
        return [
            tuple(d.strip() for d in g.split(",") if d.strip())
            for g in _DIMS.findall(side)
        ]

    return dims(left), dims(right)


def _call_vectorized(pyfunc, excluded, core_in, core_out, args, kwargs):
    static = {i: a for i, a in enumerate(args) if i in excluded}
    dynamic = [to_tensor(a) for i, a in enumerate(args) if i not in excluded]
    static_kw = {k: v for k, v in kwargs.items() if k in excluded}
    if core_in is None:
        core_in = [()] * len(dynamic)
    if len(core_in) != len(dynamic):
        raise TypeError(
            f"The vectorized function expects {len(core_in)} array "
            f"arguments (from its signature). Received: {len(dynamic)}"
        )
    loops = [t.shape[: t.ndim - len(c)] for t, c in zip(dynamic, core_in)]
    loop_shape = torch.broadcast_shapes(*loops) if loops else ()
    flat = [
        t.expand(loop_shape + t.shape[t.ndim - len(c) :]).reshape(
            (-1,) + t.shape[t.ndim - len(c) :]
        )
        for t, c in zip(dynamic, core_in)
    ]

    def one(*tensors):
        full = list(tensors)
        for i in sorted(static):
            full.insert(i, static[i])
        return pyfunc(*full, **static_kw)

    out = torch.vmap(one)(*flat)
    single = not isinstance(out, (tuple, list))
    outs = [out] if single else list(out)
    if core_out is not None and len(core_out) != len(outs):
        raise TypeError(
            f"The vectorized function should return {len(core_out)} "
            f"outputs (from its signature). Received: {len(outs)}"
        )
    outs = [o.reshape(loop_shape + o.shape[1:]) for o in outs]
    return outs[0] if single else tuple(outs)


def vectorize(
    pyfunc: Callable,
    *,
    excluded: set | None = None,
    signature: str | None = None,
) -> Callable:
    """Turn a function on single elements (or core slices) into one that
    maps over the leading axes of its arguments, as `np.vectorize` does.

    Args:
        pyfunc: The function to vectorize; it receives torch tensors.
        excluded: Positions or keyword names of arguments passed through
            unchanged (not mapped over).
        signature: Optional gufunc signature naming core axes, e.g.
            `"(n),(n)->()"` for a function of two vectors.

    Returns:
        The vectorized function (it also accepts symbolic tensors).

    Example:

    >>> from lamina import ops
    >>> dot = ops.vectorize(lambda a, b: (a * b).sum(),
    ...                     signature="(n),(n)->()")
    >>> dot(ops.ones((3, 2)), ops.ones((2,))).tolist()
    [2.0, 2.0, 2.0]
    """
    if not callable(pyfunc):
        raise TypeError(
            "Invalid value for argument `pyfunc` of ops.vectorize: expected "
            f"a callable. Received: pyfunc={pyfunc!r}"
        )
    core_in = core_out = None
    if signature is not None:
        core_in, core_out = _parse_signature(signature)
    excluded = frozenset(excluded or ())

    @functools.wraps(pyfunc)
    def vectorized(*args: Any, **kwargs: Any) -> Any:
        return _call_vectorized(
            pyfunc, excluded, core_in, core_out, args, kwargs
        )

    return symbolic_op(vectorized)
