"""Asymmetric (zero-point) quantization, per channel or per group of
input rows: the scheme of int4 sub-channel weights, GPTQ and AWQ."""

from __future__ import annotations

import math
from typing import Any

import torch

from lamina import config
from lamina.quantizers._tensor import as_tensor
from lamina.utils.dtype_utils import to_torch_dtype


def compute_quantization_parameters(
    x: Any,
    *,
    bits: int,
    symmetric: bool = False,
    per_channel: bool = False,
    group_size: int = -1,
    compute_dtype: str = "float32",
    epsilon: float = 0.0,
    signed: bool = False,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Scale and zero point of a weight `x` of shape `(out, in)`.

    Returns `(scale, zero, maxq)`: `scale` and `zero` have shape
    `(out, n_groups)` (`n_groups` is 1 unless `per_channel` with a positive
    `group_size`); `zero` is int8 when `signed` (range
    `[-2^(bits-1), 2^(bits-1)-1]`), else uint8 (range `[0, 2^bits-1]`);
    `maxq = 2^bits - 1`.
    """
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(
            f"Input weight tensor {x} must have a rank of at least 2, but "
            f"got rank {x.ndim}."
        )
    if x.numel() == 0:
        raise ValueError("Input tensor 'x' cannot be empty.")
    out_features = x.shape[0]
    low, high, n_groups = _min_max(x, per_channel, group_size)
    if symmetric:
        peak = torch.maximum(low.abs(), high)
        low = torch.where(low < 0, -peak, low)
        high = peak
    same = low == high
    low = torch.where(same, low - 1, low)
    high = torch.where(same, high + 1, high)
    maxq = torch.tensor(2**bits - 1, dtype=to_torch_dtype(compute_dtype))
    spread = high - low
    if epsilon > 0:
        spread = spread + epsilon
    scale = spread / maxq
    scale = torch.where(scale <= 0, torch.full_like(scale, 1e-8), scale)
    zero = _zero_point(low, scale, maxq, bits, symmetric, signed)
    if n_groups == 1:
        scale = scale.reshape(-1, 1).expand(out_features, 1)
        zero = zero.reshape(-1, 1).expand(out_features, 1)
    zero_dtype = torch.int8 if signed else torch.uint8
    return scale.contiguous(), zero.contiguous().to(zero_dtype), maxq


def _min_max(x, per_channel: bool, group_size: int):
    """Per-group (or per-row, or whole-tensor) minimum and maximum of
    `(out, in)` `x`, groups zero-padded to `group_size`."""
    out_features, in_features = x.shape[0], x.shape[1]
    grouped = per_channel and group_size > 0
    n_groups = -(-in_features // group_size) if grouped else 1
    if n_groups > 1:
        pad = n_groups * group_size - in_features
        x = torch.nn.functional.pad(x, (0, pad))
        x = x.reshape(out_features, n_groups, group_size)
        return x.amin(dim=2), x.amax(dim=2), n_groups
    flat = x.reshape(out_features if per_channel else 1, -1)
    return flat.amin(dim=1), flat.amax(dim=1), n_groups


def _zero_point(low, scale, maxq, bits, symmetric, signed) -> torch.Tensor:
    if symmetric:
        zero = torch.full_like(scale, float((maxq + 1) / 2))
        if signed:
            zero = zero - 2 ** (bits - 1)
    else:
        zero = torch.round(-low / scale)
        if signed:
            zero = zero - 2 ** (bits - 1)
    if signed:
        zero = torch.clamp(zero, -(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    return zero


def abs_max_quantize_grouped_with_zero_point(
    inputs: Any,
    block_size: int,
    value_range: tuple = (-8, 7),
    dtype: str = "int8",
    epsilon: float = config.epsilon(),
    to_numpy: bool = False,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Grouped asymmetric quantization of a 2D `(input_dim, output_dim)`
    tensor: each group of `block_size` rows gets a scale and a zero point
    per column.

    `q = clip(round(x / scale) + zero, *value_range)`, recovered as
    `(q - zero) * scale`.

    Returns:
        `(quantized, scale, zero_point)`: `quantized` has the input's shape;
        `scale` and `zero_point` have shape
        `(ceil(input_dim / block_size), output_dim)` (zero point int8).

    Example:

    >>> import torch, lamina
    >>> q, scale, zero = (
    ...     lamina.quantizers.abs_max_quantize_grouped_with_zero_point(
    ...         torch.randn(8, 3), block_size=4))
    >>> tuple(q.shape), tuple(scale.shape), tuple(zero.shape)
    ((8, 3), (2, 3), (2, 3))
    """
    x = as_tensor(inputs)
    device = x.device
    if to_numpy:
        x = x.cpu()
    input_dim, output_dim = x.shape
    n_groups = math.ceil(input_dim / block_size)
    padded = torch.nn.functional.pad(
        x, (0, 0, 0, n_groups * block_size - input_dim)
    ).reshape(n_groups, block_size, output_dim)
    if to_numpy:
        scale, zero = _host_group_params(padded, value_range, epsilon)
    else:
        scale, zero = _group_params(x, block_size, value_range, epsilon)
    qmin, qmax = value_range
    q = torch.clamp(torch.round(padded / scale) + zero, qmin, qmax)
    q = q.to(to_torch_dtype(dtype)).reshape(-1, output_dim)[:input_dim]
    scale = scale.squeeze(1).to(x.dtype)
    zero = zero.squeeze(1).to(torch.int8)
    return q.to(device), scale.to(device), zero.to(device)


def _host_group_params(padded, value_range, epsilon):
    """Keras's host path: no guard for a constant group."""
    qmin, qmax = value_range
    low = padded.amin(dim=1, keepdim=True)
    high = padded.amax(dim=1, keepdim=True)
    scale = ((high - low) + epsilon) / (qmax - qmin)
    zero = torch.clamp(torch.round(-low / scale) + qmin, qmin, qmax)
    return scale, zero


def _group_params(x, block_size, value_range, epsilon):
    """Keras's device path, through `compute_quantization_parameters`."""
    qmin, qmax = value_range
    scale_t, zero_t, _ = compute_quantization_parameters(
        x.t(),
        bits=int(math.log2(qmax - qmin + 1)),
        per_channel=True,
        group_size=block_size,
        compute_dtype=x.dtype,
        epsilon=epsilon,
        signed=True,
    )
    return scale_t.t()[:, None], zero_t.t()[:, None].to(x.dtype)


def quantize_with_zero_point(
    input_tensor: torch.Tensor,
    scale: Any,
    zero: Any,
    maxq: Any,
) -> torch.Tensor:
    """`clip(round(x / scale + zero), 0, maxq)` (a float tensor of levels)."""
    safe = torch.where(scale == 0, torch.full_like(scale, 1e-8), scale)
    q = torch.round(input_tensor / safe + zero.to(scale.dtype))
    return torch.clamp(q, 0, maxq)


def dequantize_with_zero_point(
    input_tensor: torch.Tensor, scale: Any, zero: Any
) -> torch.Tensor:
    """`scale * (q - zero)`."""
    return scale * (input_tensor - zero.to(scale.dtype))


def quantize_with_sz_map(
    weights_matrix: torch.Tensor,
    scale: Any,
    zero: Any,
    g_idx: torch.Tensor,
    maxq: Any,
    group_axis: int = -1,
) -> torch.Tensor:
    """Quantize with the group parameters `g_idx` selects for each
    position along `group_axis`."""
    groups = as_tensor(g_idx).long()
    scale_cols = torch.index_select(scale, group_axis % scale.ndim, groups)
    zero_cols = torch.index_select(zero, group_axis % zero.ndim, groups)
    return quantize_with_zero_point(weights_matrix, scale_cols, zero_cols, maxq)


def dequantize_with_sz_map(
    weights_matrix: torch.Tensor,
    scale: Any,
    zero: Any,
    g_idx: torch.Tensor,
    group_axis: int = -1,
) -> torch.Tensor:
    """`(q - zero[g]) * scale[g]` with the group `g = g_idx[i]` of each
    position `i` along `group_axis` of `scale` and `zero`."""
    groups = as_tensor(g_idx).long()
    scales = torch.index_select(scale, group_axis % scale.ndim, groups)
    zeros = torch.index_select(zero, group_axis % zero.ndim, groups)
    return (weights_matrix - zeros.to(scales.dtype)) * scales
