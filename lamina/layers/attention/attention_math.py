"""The math shared by `MultiHeadAttention`'s two attention paths.

`MultiHeadAttention` projects its inputs to `(batch, <other axes>,
<attention axes>, heads, channels)` and attends over the attention axes.
Here are the einsum equations for any rank and set of attention axes
(built with Keras's letter assignment, so Keras's and lamina's kernels and
scores line up) and the two ways of computing attention: torch's fused
`F.scaled_dot_product_attention`, and an explicit einsum/softmax that can
return the scores and apply dropout to them.
"""

from __future__ import annotations

from typing import Any

import string
from typing import Callable

import torch
import torch.nn.functional as F

_LETTERS = string.ascii_lowercase


def projection_equation(
    free_dims: int, bound_dims: int, output_dims: int
) -> tuple:
    """`(equation, bias_axes, output_rank)` of a projection that keeps
    `free_dims` leading axes, contracts `bound_dims` axes with the kernel
    and adds `output_dims` kernel axes: `(2, 1, 2)` -> `abc,cde->abde`."""
    free = _LETTERS[:free_dims]
    bound = _LETTERS[free_dims : free_dims + bound_dims]
    added = _LETTERS[
        free_dims + bound_dims : free_dims + bound_dims + output_dims
    ]
    equation = f"{free}{bound},{bound}{added}->{free}{added}"
    return equation, added, free_dims + output_dims


def attention_equations(rank: int, attention_axes: tuple) -> tuple:
    """`(dot_product, combine, scores_rank)` einsum equations for projected
    tensors of `rank` attending over `attention_axes`.

    The scores are laid out `(<batch axes>, heads, <query attention
    axes>, <key attention axes>)`, where the batch axes are every axis but
    the attention axes and the last (channels) one, the heads included.
    """
    target = _LETTERS[:rank]
    batch_axes = [i for i in range(rank - 1) if i not in attention_axes]
    # The key's attention axes get new letters, in axis order.
    extra = iter(_LETTERS[rank:])
    source = "".join(
        next(extra) if i in attention_axes else c for i, c in enumerate(target)
    )
    product = "".join(
        [target[i] for i in batch_axes]
        + [target[i] for i in attention_axes]
        + [source[i] for i in attention_axes]
    )
    return (
        f"{source},{target}->{product}",
        f"{product},{source}->{target}",
        len(product),
    )


def align_mask(
    mask: torch.Tensor, scores_rank: int, num_attention_axes: int
) -> torch.Tensor:
    """Give `mask` the rank of the scores by inserting the head axis (and
    any other missing batch axes) just before the attention axes, as Keras
    does: `(B, T, S)` -> `(B, 1, T, S)`."""
    axis = -2 * num_attention_axes - 1
    while mask.ndim < scores_rank:
        mask = mask.unsqueeze(axis)
    return mask


def masked_softmax(
    scores: torch.Tensor, mask: torch.Tensor | None, num_axes: int
) -> torch.Tensor:
    """Softmax over the last `num_axes` axes. Masked positions get a large
    negative score before and an exact zero after (so a fully masked row
    is zeros, not uniform), the rule of Keras's `Softmax` layer."""
    if mask is not None:
        low = -3e4 if scores.dtype == torch.float16 else -1e9
        scores = torch.where(mask, scores, low)
    if num_axes == 1:
        probs = F.softmax(scores, dim=-1)
    else:
        probs = F.softmax(scores.flatten(-num_axes), dim=-1).view(scores.shape)
    if mask is not None:
        probs = torch.where(mask, probs, 0.0)
    return probs


def fused_attention(
    query: Any,
    key: Any,
    value: Any,
    mask: torch.Tensor | None,
    scale: float,
    is_causal: bool,
) -> torch.Tensor:
    """Attention of `(B, T, N, H)` tensors with torch's fused kernel.

    The boolean `mask` (broadcastable to `(B, N, T, S)`) becomes an
    additive bias of -0.7 * 3.38953e38, Keras's value on torch: a fully
    masked row then attends uniformly, exactly as Keras's fused path does.
    """
    bias = None
    if mask is not None:
        low = -0.7 * (65500.0 if query.dtype == torch.float16 else 3.38953e38)
        bias = torch.zeros(
            mask.shape, dtype=query.dtype, device=mask.device
        ).masked_fill(~mask, low)
    out = F.scaled_dot_product_attention(
        query.transpose(1, 2),
        key.transpose(1, 2),
        value.transpose(1, 2),
        attn_mask=bias,
        is_causal=is_causal,
        scale=scale,
    )
    return out.transpose(1, 2)


def einsum_attention(
    query: Any,
    key: Any,
    value: Any,
    mask: torch.Tensor | None,
    scale: float,
    equations: tuple,
    num_axes: int,
    dropout: Callable | None,
) -> tuple:
    """Attention over any axes, written out: returns `(output, scores)`,
    the scores taken before `dropout` (which only the output sees)."""
    dot_product, combine = equations
    # Scaling the query (not the scores) is Keras's order of operations.
    scores = torch.einsum(dot_product, key, query * scale)
    probs = masked_softmax(scores, mask, num_axes)
    weights = probs if dropout is None else dropout(probs)
    return torch.einsum(combine, weights, value), probs
