"""Integer matmuls of the quantized layers, exact as Keras's.

int8 x int8 products accumulate in int32 (`torch._int_mm`, which has CPU
and CUDA kernels; an exact fallback where it refuses a shape), so the
result is exact and equal to Keras's whatever kernel runs. On the
(shared, 2-core) CPU of bench/quantize_mlp.py, `_int_mm` took 76 ms for
a 256x2048 @ 2048x2048 product against 253 ms for an int32 matmul and
123 ms for float32 BLAS (at width 1024 it matched the int32 matmul).
"""

from __future__ import annotations

from typing import Any

import torch


def int8_matmul(x: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """`x @ kernel` for int8 `x` (..., k) and int8 `kernel` (k, n), in
    int32."""
    flat = x.reshape(-1, x.shape[-1])
    try:
        out = torch._int_mm(flat, kernel)
    except RuntimeError:  # shapes or devices _int_mm does not take
        out = _exact_matmul(flat, kernel)
    return out.reshape(x.shape[:-1] + (kernel.shape[-1],))


def _exact_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """int32 on the CPU; elsewhere (CUDA has no integer matmul) float64,
    exact for any realistic depth (|sum| < 2^53)."""
    if a.device.type == "cpu":
        return torch.matmul(a.to(torch.int32), b.to(torch.int32))
    return torch.matmul(a.double(), b.double()).to(torch.int32)


class QuantizedInputsMatmul(torch.autograd.Function):
    """`(quantize(x) @ kernel) / (kernel_scale * x_scale)` with the
    straight-through gradient Keras uses: `dx = dy @ (kernel / scale).T`;
    no gradient reaches the frozen integer kernel or its scale."""

    @staticmethod
    def forward(
        ctx: Any,
        x: torch.Tensor,
        kernel: torch.Tensor,
        kernel_scale: torch.Tensor,
        quantizer: Any,
        compute_dtype: Any,
    ) -> torch.Tensor:
        qx, x_scale = quantizer(x, axis=-1)
        y = int8_matmul(qx, kernel).to(compute_dtype)
        ctx.save_for_backward(kernel, kernel_scale)
        ctx.compute_dtype = compute_dtype
        return y / (kernel_scale * x_scale)

    @staticmethod
    def backward(ctx: Any, dy: torch.Tensor) -> tuple:
        kernel, kernel_scale = ctx.saved_tensors
        float_kernel = kernel.to(ctx.compute_dtype) / kernel_scale
        return dy @ float_kernel.t(), None, None, None, None
