"""`saturate_cast`: a cast that clips to the target dtype's range first."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import dtype_name, to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _bounds(dtype: torch.dtype) -> tuple:
    if dtype == torch.bool:
        return 0, 1
    info = torch.finfo(dtype) if dtype.is_floating_point else torch.iinfo(dtype)
    return info.min, info.max


def _limits(src: torch.dtype, dst: torch.dtype) -> tuple:
    """The clip range, as values exactly representable in `src` that stay
    inside `dst`'s range once cast (e.g. float32's nearest value below
    2**31 - 1 for an int32 target)."""
    (in_min, in_max), (out_min, out_max) = _bounds(src), _bounds(dst)
    lo, hi = max(in_min, out_min), min(in_max, out_max)
    if src.is_floating_point and src != torch.bfloat16:
        np_src = np.dtype(dtype_name(src))
        # A bound beyond `src`'s range rounds to inf, and is then stepped
        # back to the largest finite value.
        with np.errstate(over="ignore"):
            lo_c, hi_c = np_src.type(lo), np_src.type(hi)
            if lo_c < out_min:
                lo_c = np.nextafter(lo_c, np_src.type(0))
            if hi_c > out_max:
                hi_c = np.nextafter(hi_c, np_src.type(0))
        return float(lo_c), float(hi_c)
    return lo, hi


@op
def saturate_cast(x: TensorLike, dtype: Any) -> torch.Tensor:
    """Cast `x` to `dtype`, clipping values to the range `dtype` can hold.

    Unlike `cast`, out-of-range values saturate instead of wrapping:
    `cast(-1.0, "uint8")` is 255, `saturate_cast(-1.0, "uint8")` is 0.

    Args:
        x: Input tensor.
        dtype: The target dtype.

    Returns:
        `x` clipped and cast to `dtype`.

    Example:

    >>> from lamina import ops
    >>> ops.saturate_cast([-1.0, 300.0, 7.6], "uint8").tolist()
    [0, 255, 7]
    """
    x = to_tensor(x)
    target = to_torch_dtype(dtype)
    lo, hi = _limits(x.dtype, target)
    if x.dtype == torch.bool:
        return x.to(target)
    return torch.clamp(x, lo, hi).to(target)
