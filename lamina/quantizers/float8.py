"""Float8 scaling (delayed scaling with an amax history, as NVIDIA's
Transformer Engine does):
https://docs.nvidia.com/deeplearning/transformer-engine/user-guide/api/jax.html
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.quantizers._tensor import as_tensor
from lamina.utils.dtype_utils import to_torch_dtype

_FLOAT8 = {
    "float8_e4m3fn": torch.float8_e4m3fn,
    "float8_e5m2": torch.float8_e5m2,
}


def _dtype(name: Any) -> torch.dtype:
    return _FLOAT8.get(name) or to_torch_dtype(name)


def compute_float8_scale(
    amax: Any, scale: Any, dtype_max: Any, margin: int = 0
) -> torch.Tensor:
    """The next scale from the history's `amax`: `amax / dtype_max * 2^margin`,
    kept at `scale` where `amax` is zero or not finite.

    Example:

    >>> import torch, lamina
    >>> lamina.quantizers.compute_float8_scale(
    ...     torch.tensor(4.0), torch.tensor(1.0), 448.0)
    tensor(0.0089)
    """
    amax = as_tensor(amax)
    inverse = 1.0 / as_tensor(scale)
    factor = (as_tensor(dtype_max) / amax) / (2**margin)
    factor = torch.where(amax > 0.0, factor, inverse)
    factor = torch.where(torch.isfinite(amax), factor, inverse)
    return 1.0 / factor


def compute_float8_amax_history(x: Any, amax_history: Any) -> torch.Tensor:
    """The history rolled by one, with `max(|x|)` as its first entry.

    Example:

    >>> import torch, lamina
    >>> lamina.quantizers.compute_float8_amax_history(
    ...     torch.tensor([-3.0, 1.0]), torch.tensor([1.0, 2.0, 0.0]))
    tensor([3., 0., 1.])
    """
    history = as_tensor(amax_history)
    amax = as_tensor(x).abs().amax().to(history.dtype)
    rolled = torch.roll(history, shifts=-1, dims=0)
    return torch.cat([amax.reshape(1), rolled[1:]])


def quantize_and_dequantize(
    inputs: Any, scale: Any, quantized_dtype: str, compute_dtype: str
) -> torch.Tensor:
    """Round-trip `inputs / scale` through `quantized_dtype` (clipped to
    its finite range) and multiply back by `scale`, in `compute_dtype`.

    Example:

    >>> import torch, lamina
    >>> lamina.quantizers.quantize_and_dequantize(
    ...     torch.tensor([0.3, 1000.0]), torch.tensor(1.0),
    ...     "float8_e4m3fn", "float32")
    tensor([3.1250e-01, 4.4800e+02])
    """
    compute = _dtype(compute_dtype)
    quantized = _dtype(quantized_dtype)
    limit = float(torch.finfo(quantized).max)
    scale = as_tensor(scale).to(compute)
    x = torch.clamp(as_tensor(inputs) / scale, -limit, limit)
    return x.to(quantized).to(compute) * scale
