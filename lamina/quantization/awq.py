"""AWQ (https://arxiv.org/abs/2306.00978) for one layer, as Keras 3.15
runs it: track each input channel's largest activation over the
calibration data, then search scales `s = x_max ** ratio` (`ratio` on a
grid in `[0, 1]`, normalised by `sqrt(max(s) * min(s))`) that minimise
the activation-weighted error of quantizing `W * s` to 4 bits and
dividing `s` back out. Salient input channels (large activations) get
their weights magnified before rounding, so they lose less.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.quantizers.grouped import (
    compute_quantization_parameters,
    dequantize_with_sz_map,
    dequantize_with_zero_point,
    quantize_with_sz_map,
    quantize_with_zero_point,
)
from lamina.quantizers.int4_packing import pack_int4


class ActivationRangeObserver:
    """Tracks the per-channel maximum of `|inputs|` of a layer, then
    quantizes its kernel (`quantize`).

    Args:
        target: the layer's `CalibrationTarget`.
        config: the `AWQConfig`.
    """

    def __init__(self, target: Any, config: Any):
        self.target = target
        self.config = config
        self.magnitudes = torch.zeros(
            target.rows, dtype=torch.float32, device=target.device
        )

    def observe(self, inputs: torch.Tensor) -> None:
        x = inputs.detach().reshape(-1, self.target.rows).float()
        peak = x.abs().amax(dim=0).to(self.magnitudes.device)
        self.magnitudes = torch.maximum(self.magnitudes, peak)

    def quantize(self) -> None:
        weights = self.target.float_kernel_2d().t().float()
        q, scale, zero, awq_scales, g_idx = awq_quantize_matrix(
            weights,
            self.magnitudes.to(weights.device),
            num_grid_points=self.config.num_grid_points,
            group_size=self.config.group_size,
        )
        q = pack_int4(q.to(torch.uint8), axis=0, dtype="uint8")[0]
        self.target.store(q, scale, zero, g_idx, awq_scales)


def _round_trip(weights: torch.Tensor, group_size: int) -> tuple:
    """4-bit asymmetric levels of `weights` `(out, in)`, per row or per
    group of `group_size` inputs: `(levels, restored, scale, zero)`."""
    scale, zero, maxq = compute_quantization_parameters(
        weights,
        bits=4,
        symmetric=False,
        per_channel=True,
        group_size=group_size,
        compute_dtype="float32",
    )
    if group_size == -1:
        levels = quantize_with_zero_point(weights, scale, zero, maxq)
        restored = dequantize_with_zero_point(levels, scale, zero)
        return levels, restored, scale, zero
    g_idx = torch.arange(weights.shape[1], device=weights.device) // group_size
    levels = quantize_with_sz_map(weights, scale, zero, g_idx, maxq)
    restored = dequantize_with_sz_map(levels, scale, zero, g_idx)
    return levels, restored, scale, zero


def search_scales(
    weights: torch.Tensor,
    magnitudes: torch.Tensor,
    *,
    num_grid_points: int = 20,
    group_size: int = -1,
) -> torch.Tensor:
    """The per-input-channel scales `(in,)` of least weighted error."""
    x_max = magnitudes.float()
    x_max = torch.where(x_max < 1e-8, torch.ones_like(x_max), x_max)
    best_loss = None
    best = torch.ones_like(x_max)
    for i in range(num_grid_points + 1):
        ratio = i / num_grid_points
        # The exponent as a float32 tensor, as Keras's `ops.power` has it.
        exponent = torch.tensor(ratio, dtype=torch.float32)
        scales = torch.ones_like(x_max) if ratio == 0 else x_max**exponent
        scales = torch.clamp(scales, min=1e-4)
        middle = torch.sqrt(scales.max() * scales.min()).clamp(min=1e-8)
        scales = scales / middle
        restored = _round_trip(weights * scales, group_size)[1]
        error = torch.square(weights - restored / scales)
        loss = torch.mean(error * torch.square(x_max))
        if best_loss is None or bool(loss < best_loss):
            best_loss, best = loss, scales
    return best


def awq_quantize_matrix(
    weights: torch.Tensor,
    magnitudes: torch.Tensor,
    *,
    num_grid_points: int = 20,
    group_size: int = -1,
) -> tuple:
    """AWQ of `weights` `(out, in)`: `(levels, scale, zero, awq_scales,
    g_idx)` with float levels in `[0, 15]`."""
    awq_scales = search_scales(
        weights,
        magnitudes,
        num_grid_points=num_grid_points,
        group_size=group_size,
    )
    levels, _, scale, zero = _round_trip(weights * awq_scales, group_size)
    in_features = weights.shape[1]
    if group_size == -1:
        g_idx = torch.zeros(in_features, dtype=torch.float32)
    else:
        g_idx = (torch.arange(in_features) // group_size).float()
    return levels, scale, zero, awq_scales, g_idx.to(weights.device)
