"""`dot_product_attention` on torch's `scaled_dot_product_attention`.

Keras lays attention tensors out as `(batch, seq, heads, head_dim)`; torch
wants `(batch, heads, seq, head_dim)`. The transposes are views, and torch
picks its fastest kernel (flash, memory-efficient or math) by itself.
"""

from __future__ import annotations

import torch
import torch.nn.attention
import torch.nn.functional as F

from lamina import config
from lamina.errors import format_shape
from lamina.ops._convert import as_dtype
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _large_negative(dtype: torch.dtype) -> float:
    # Finite (not -inf) so a fully masked row softmaxes to uniform weights,
    # not NaN, as in Keras.
    return -65500.0 * 0.7 if dtype == torch.float16 else -3.38953e38 * 0.7


def _additive_mask(mask, query, key, is_causal) -> torch.Tensor:
    mask = to_tensor(mask, dtype="bool", device=query.device)
    if is_causal:
        # SDPA treats attn_mask and is_causal as exclusive: fold them.
        causal = torch.ones(
            (query.shape[1], key.shape[1]),
            dtype=torch.bool,
            device=query.device,
        ).tril()
        mask = mask & causal
    zero = torch.zeros((), dtype=query.dtype, device=query.device)
    return torch.where(mask, zero, _large_negative(query.dtype))


def _check_inputs(query, key, value, bias, mask, soft_cap) -> None:
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError(
            "`ops.dot_product_attention` only supports 4D inputs "
            "(batch, seq, heads, head_dim). Received: query.shape="
            f"{format_shape(query.shape)}, key.shape="
            f"{format_shape(key.shape)}, value.shape="
            f"{format_shape(value.shape)}"
        )
    if bias is not None and mask is not None:
        raise ValueError(
            "`ops.dot_product_attention` accepts only one of `bias` and "
            "`mask`. Received both."
        )
    if soft_cap is not None:
        raise ValueError(
            "`attn_logits_soft_cap` is only supported by JAX on TPU. "
            f"Received: attn_logits_soft_cap={soft_cap!r}"
        )


def _heads_first(query, key, value) -> tuple:
    """Keras layout → torch layout, with key/value heads repeated for
    grouped-query attention."""
    q, k, v = (t.transpose(1, 2) for t in (query, key, value))
    groups = q.shape[1] // k.shape[1]
    if groups > 1 and k.shape[1] > 1:
        k = torch.repeat_interleave(k, groups, dim=1)
        v = torch.repeat_interleave(v, groups, dim=1)
    return q, k, v


def _sdpa(q, k, v, flash: bool | None, **kwargs) -> torch.Tensor:
    # None defers to `config.enable/disable_flash_attention` (whose own
    # default, None, lets torch choose).
    if flash is None:
        flash = config.is_flash_attention_enabled()
    if flash is None:
        return F.scaled_dot_product_attention(q, k, v, **kwargs)
    sdp = torch.nn.attention.SDPBackend
    backends = (
        [sdp.FLASH_ATTENTION]
        if flash
        else [sdp.EFFICIENT_ATTENTION, sdp.CUDNN_ATTENTION, sdp.MATH]
    )
    with torch.nn.attention.sdpa_kernel(backends=backends):
        return F.scaled_dot_product_attention(q, k, v, **kwargs)


@op
def dot_product_attention(
    query: TensorLike,
    key: TensorLike,
    value: TensorLike,
    bias: TensorLike | None = None,
    mask: TensorLike | None = None,
    scale: float | None = None,
    is_causal: bool = False,
    flash_attention: bool | None = None,
    attn_logits_soft_cap: float | None = None,
) -> torch.Tensor:
    """Scaled dot-product attention: `softmax(q k^T * scale + bias) v`.

    Args:
        query: `(batch, q_len, heads, head_dim)`.
        key: `(batch, kv_len, kv_heads, head_dim)`; `heads` must be a
            multiple of `kv_heads` (grouped-query attention).
        value: `(batch, kv_len, kv_heads, value_dim)`.
        bias: Optional additive bias, broadcast to
            `(batch, heads, q_len, kv_len)`.
        mask: Optional boolean mask of the same broadcast shape; `True`
            means "attend". Exclusive with `bias`.
        scale: Logit scale; defaults to `1 / sqrt(head_dim)`.
        is_causal: Apply a causal (lower-triangular) mask.
        flash_attention: `True` to require torch's flash kernel; `None`
            lets torch choose.
        attn_logits_soft_cap: Not supported (JAX on TPU only); must be
            `None`.

    Returns:
        `(batch, q_len, heads, value_dim)`.

    Example:

    >>> from lamina import ops
    >>> q = ops.ones((1, 2, 1, 4))
    >>> ops.dot_product_attention(q, q, q).shape
    torch.Size([1, 2, 1, 4])
    """
    query, key, value = (to_tensor(t) for t in (query, key, value))
    _check_inputs(query, key, value, bias, mask, attn_logits_soft_cap)
    dtype = to_torch_dtype(result_type(query.dtype, key.dtype, value.dtype))
    query, key, value = (as_dtype(t, dtype) for t in (query, key, value))
    attn_mask = None
    if mask is not None:
        attn_mask = _additive_mask(mask, query, key, is_causal)
        is_causal = False
    elif bias is not None:
        attn_mask = to_tensor(bias, dtype=dtype, device=query.device)
    q, k, v = _heads_first(query, key, value)
    out = _sdpa(
        q,
        k,
        v,
        flash_attention,
        attn_mask=attn_mask,
        is_causal=is_causal,
        scale=scale,
    )
    return out.transpose(1, 2)
