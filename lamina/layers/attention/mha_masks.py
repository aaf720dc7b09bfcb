"""The masks of `MultiHeadAttention` and `GroupQueryAttention`: the
inputs' masks, `attention_mask`, the causal and sliding-window bands,
checked and combined with Keras's rules into one boolean mask `(B, T, S)`
(or one that broadcasts to it).

`GroupQueryAttention` has no `attention_axes` or `num_heads`: it attends
over axis 1 with `num_query_heads` heads, which `_axes` and `_heads` read.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import format_shape


def _owner(layer) -> str:
    return f"Layer '{layer.name}' ({type(layer).__name__})"


def _axes(layer) -> tuple:
    return getattr(layer, "attention_axes", (1,))


def _heads(layer) -> int:
    return getattr(layer, "num_query_heads", None) or layer.num_heads


def combine(
    layer: Any,
    query: Any,
    value: Any,
    query_mask: Any,
    value_mask: Any,
    key_mask: Any,
    attention_mask: Any,
) -> torch.Tensor | None:
    """The AND of every mask but the causal one; None when there is none.

    The query's mask covers rows `(B, T, 1)`, the value's and key's
    columns `(B, 1, S)`.
    """
    masks = [
        None
        if attention_mask is None
        else check_attention_mask(layer, attention_mask, query, value),
        _as_bool(query_mask, query, -1),
        _as_bool(value_mask, query, -2),
        _as_bool(key_mask, query, -2),
        None
        if layer._sliding_window is None
        else band(layer, query, value, layer._sliding_window),
    ]
    out = None
    for mask in masks:
        if mask is not None:
            out = mask if out is None else out & mask
    return out


def for_call(
    layer: Any,
    query: Any,
    value: Any,
    key: Any,
    given: dict[str, Any],
    use_causal_mask: bool,
) -> tuple[Any, bool]:
    """`(mask, causal_only)` for a call: `given` holds the call's
    `query_mask`, `value_mask`, `key_mask` and `attention_mask` (an input
    mask left None defaults to the input's own Keras mask, the key's only
    when a key was passed). `causal_only` means the causal band is the
    only mask, left to torch's causal kernel (`mask` is then None)."""

    def own(name: str, x: Any) -> Any:
        mask = given.get(f"{name}_mask")
        return getattr(x, "_keras_mask", None) if mask is None else mask

    mask = combine(
        layer,
        query,
        value,
        own("query", query),
        own("value", value),
        None if key is None else own("key", key),
        given.get("attention_mask"),
    )
    causal_only = use_causal_mask and mask is None
    if use_causal_mask and mask is not None:  # i.e. not causal_only
        mask = mask & band(layer, query, value)
    return mask, causal_only


def band(
    layer: Any, query: Any, value: Any, window: int | None = None
) -> torch.Tensor:
    """`(1, T, S)` over the attention axis: causal (`window=None`: `t`
    attends to `s <= t`) or a sliding window (`|t - s| < window`)."""
    if len(_axes(layer)) > 1:
        raise ValueError(
            f"{_owner(layer)}: causal and sliding-window masks need a single "
            f"attention axis. Received: attention_axes={_axes(layer)}"
        )
    axis = _axes(layer)[0]
    rows = torch.arange(query.shape[axis], device=query.device).unsqueeze(-1)
    cols = torch.arange(value.shape[axis], device=query.device).unsqueeze(0)
    keep = rows >= cols if window is None else (rows - cols).abs() < window
    return keep.unsqueeze(0)


def _as_bool(mask, like: torch.Tensor, axis: int) -> torch.Tensor | None:
    """An input mask (any dtype, nonzero = kept) as bool on `like`'s
    device, with a size-1 axis at `axis`; None stays None."""
    if mask is None:
        return None
    mask = torch.as_tensor(mask, device=like.device)
    return (mask if mask.dtype == torch.bool else mask.bool()).unsqueeze(axis)


def check_attention_mask(
    layer: Any,
    mask: torch.Tensor | None,
    query: torch.Tensor,
    value: torch.Tensor,
) -> torch.Tensor:
    """`attention_mask` as a bool tensor, after checking that it
    broadcasts to the scores once the head axis is inserted (Keras's
    rule: missing axes go just before the query axes)."""
    mask = torch.as_tensor(mask, device=query.device)
    axes = _axes(layer)
    batch = [query.shape[i] for i in range(query.ndim - 1) if i not in axes]
    attended = [query.shape[a] for a in axes] + [value.shape[a] for a in axes]
    full = batch + [_heads(layer)] + attended
    shape = list(mask.shape)
    ok = 2 * len(axes) <= len(shape) <= len(full)
    while ok and len(shape) < len(full):
        shape.insert(len(shape) - 2 * len(axes), 1)
    if not ok or any(m not in (1, f) for m, f in zip(shape, full)):
        raise ValueError(
            f"{_owner(layer)}: `attention_mask` must be broadcastable to "
            f"{format_shape(batch + attended)} (batch, query and key axes); "
            "a mask of lower rank gets size-1 axes (the head axis first) "
            "inserted just before its query axes. Received: "
            f"attention_mask.shape={format_shape(mask.shape)}"
        )
    return mask if mask.dtype == torch.bool else mask.bool()
