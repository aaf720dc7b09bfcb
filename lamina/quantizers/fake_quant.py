"""`fake_quant_with_min_max_vars`: quantize-dequantize in the float domain,
with gradients for the inputs and the range (TensorFlow's op)."""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.operation import symbolic_op
from lamina.quantizers._tensor import as_tensor


def _nudge(low, high, num_bits: int, narrow_range: bool):
    """The range moved so that zero is exactly representable, with the
    scale and its inverse (computed in at least float32)."""
    dtype = torch.promote_types(low.dtype, torch.float32)
    low, high = low.to(dtype), high.to(dtype)
    quant_max = (1 << num_bits) - 1
    quant_min = 1 if narrow_range else 0
    scale = (high - low) / (quant_max - quant_min)
    levels = torch.tensor(float(quant_max - quant_min), dtype=dtype)
    inv_scale = torch.div(levels, high - low)  # true division, as Keras
    zero = torch.clamp(quant_min - low / scale, quant_min, quant_max)
    zero = torch.round(zero)
    return (
        (quant_min - zero) * scale,
        (quant_max - zero) * scale,
        scale,
        inv_scale,
    )


class _FakeQuant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, low, high, num_bits, narrow_range, axis):
        nudged_min, nudged_max, scale, inv_scale = _nudge(
            low, high, num_bits, narrow_range
        )
        quant_zero = torch.floor(-nudged_min * inv_scale + 0.5)
        clamped = torch.clamp(x.to(nudged_min.dtype), nudged_min, nudged_max)
        shifted = clamped - nudged_min
        result = torch.floor(shifted * inv_scale - quant_zero + 0.5) * scale
        ctx.save_for_backward(x, nudged_min, nudged_max)
        ctx.shapes = (low.shape, high.shape)
        ctx.axis = axis
        return result.to(x.dtype)

    @staticmethod
    def backward(ctx, upstream):
        x, nudged_min, nudged_max = ctx.saved_tensors
        inside = (x >= nudged_min) & (x <= nudged_max)
        zero = torch.zeros_like(upstream)
        dx = torch.where(inside, upstream, zero)
        dims = [i for i in range(dx.ndim) if i != ctx.axis]
        grads = []
        for mask, shape in (
            (x <= nudged_min, ctx.shapes[0]),
            (x >= nudged_max, ctx.shapes[1]),
        ):
            g = torch.where(mask, upstream, zero)
            g = g.sum(dim=dims) if ctx.axis is not None else g.sum()
            grads.append(g.reshape(shape))
        return dx, grads[0], grads[1], None, None, None


@symbolic_op
def fake_quant_with_min_max_vars(
    inputs: Any,
    min_vals: Any,
    max_vals: Any,
    num_bits: int = 8,
    narrow_range: bool = False,
    axis: int | None = None,
) -> torch.Tensor:
    """Fake-quantize `inputs` into `[min_vals, max_vals]` per tensor or per
    channel.

    Values are clamped to the (nudged) range, rounded to one of
    `2^num_bits` levels (`2^num_bits - 1` with `narrow_range`) and mapped
    back to floats. Gradients flow to the inputs inside the range and to
    `min_vals`/`max_vals` from the inputs clipped to them.

    Args:
        inputs: a float tensor.
        min_vals, max_vals: the range: scalars, or per-channel tensors
            along `axis`.
        num_bits: the bit width.
        narrow_range: whether the lowest level is left out.
        axis: the channel axis for per-channel ranges; `None` for one
            range.

    Returns:
        The fake-quantized tensor, in the inputs' dtype.

    Example:

    >>> import torch, lamina
    >>> lamina.quantizers.fake_quant_with_min_max_vars(
    ...     torch.tensor([-1.0, 0.1, 0.5, 2.0]), -1.0, 1.0, num_bits=2)
    tensor([-0.6667,  0.0000,  0.6667,  0.6667])
    """
    x = as_tensor(inputs)
    low, high = as_tensor(min_vals), as_tensor(max_vals)
    if axis is not None:
        axis = axis % x.ndim
    return _FakeQuant.apply(x, low, high, int(num_bits), narrow_range, axis)
