"""`rearrange`: einops-style reshape/transpose from a pattern string.

`"b (h1 h) w c -> (b h1) h w c"` names the input axes on the left (a
parenthesized group is one input axis split into several) and the output
axes on the right (a group merges axes). The op is one reshape, one
permute and one reshape, so it is a view where torch allows.
"""

from __future__ import annotations

import math
import re

import torch

from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike

_TOKEN = re.compile(r"\(|\)|\w+|\S")


def _parse_side(pattern: str, side: str) -> list:
    """`"b (h w) c"` → `[["b"], ["h", "w"], ["c"]]`."""
    groups, current = [], None
    for token in _TOKEN.findall(side):
        if token == "(":
            if current is not None:
                raise _pattern_error(pattern, "nested parentheses")
            current = []
        elif token == ")":
            if current is None:
                raise _pattern_error(pattern, "unbalanced parentheses")
            groups.append(current)
            current = None
        elif re.fullmatch(r"[A-Za-z_]\w*", token):
            if current is None:
                groups.append([token])
            else:
                current.append(token)
        else:
            raise _pattern_error(pattern, f"unexpected token {token!r}")
    if current is not None:
        raise _pattern_error(pattern, "unbalanced parentheses")
    return groups


def _pattern_error(pattern: str, problem: str) -> ValueError:
    return ValueError(
        f"Invalid value for argument `pattern` of ops.rearrange: {problem}. "
        f"Received: pattern={pattern!r}"
    )


def _axis_sizes(pattern, groups, shape, axes_lengths) -> dict:
    """Each input axis name → its size, inferring one unknown per group."""
    sizes = {}
    for group, dim in zip(groups, shape):
        known = [n for n in group if n in axes_lengths]
        unknown = [n for n in group if n not in axes_lengths]
        product = math.prod(int(axes_lengths[n]) for n in known)
        if len(unknown) > 1:
            raise _pattern_error(
                pattern,
                f"cannot infer the sizes of {unknown} in one group "
                "(give all but one in `axes_lengths`)",
            )
        if unknown:
            if product == 0 or dim % product:
                raise _pattern_error(
                    pattern,
                    f"axis of size {dim} does not split into "
                    f"{known} of sizes {[axes_lengths[n] for n in known]}",
                )
            sizes[unknown[0]] = dim // product
        elif product != dim:
            raise _pattern_error(
                pattern, f"group {group} has size {product}, the axis {dim}"
            )
        sizes.update({n: int(axes_lengths[n]) for n in known})
    return sizes


@op
def rearrange(
    tensor: TensorLike, pattern: str, **axes_lengths: int
) -> torch.Tensor:
    """Reorder, split and merge axes following an einops pattern.

    Args:
        tensor: Input tensor.
        pattern: `"<input axes> -> <output axes>"`; a parenthesized group
            on the left splits an axis, on the right merges axes.
        **axes_lengths: Sizes of split axes that cannot be inferred.

    Returns:
        The rearranged tensor.

    Example:

    >>> from lamina import ops
    >>> x = ops.ones((2, 4, 6, 3))
    >>> ops.rearrange(x, "b h w c -> b (c h w)").shape
    torch.Size([2, 72])
    >>> ops.rearrange(x, "b (h1 h) w c -> (b h1) h w c", h1=2).shape
    torch.Size([4, 2, 6, 3])
    """
    x = to_tensor(tensor)
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise _pattern_error(pattern, "expected '<input> -> <output>'")
    left, right = pattern.split("->")
    inputs, outputs = _parse_side(pattern, left), _parse_side(pattern, right)
    if len(inputs) != x.ndim:
        raise _pattern_error(
            pattern,
            f"the input side names {len(inputs)} axes, the tensor "
            f"has {x.ndim} (shape {tuple(x.shape)})",
        )
    in_names = [n for g in inputs for n in g]
    out_names = [n for g in outputs for n in g]
    if len(set(in_names)) != len(in_names) or sorted(in_names) != sorted(
        out_names
    ):
        raise _pattern_error(
            pattern, "each axis name must appear once on each side"
        )
    sizes = _axis_sizes(pattern, inputs, x.shape, axes_lengths)
    x = x.reshape([sizes[n] for n in in_names])
    x = x.permute([in_names.index(n) for n in out_names])
    return x.reshape([math.prod(sizes[n] for n in g) for g in outputs])
