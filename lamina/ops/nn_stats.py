"""Statistics ops: `moments` (mean and variance) and `normalize`."""

from __future__ import annotations

import torch

from lamina import config
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def moments(
    x: TensorLike,
    axes: int | tuple,
    keepdims: bool = False,
    synchronized: bool = False,
) -> tuple:
    """Mean and variance of `x` over the given axes.

    Args:
        x: Input tensor.
        axes: Axis or axes to compute the statistics over.
        keepdims: If `True`, reduced axes are kept with size 1.
        synchronized: Must be `False` (cross-replica statistics are not
            supported).

    Returns:
        A `(mean, variance)` pair; `float16` inputs are computed in
        `float32` and cast back.

    Example:

    >>> from lamina import ops
    >>> mean, variance = ops.moments([1.0, 3.0], axes=0)
    >>> mean.item(), variance.item()
    (2.0, 1.0)
    """
    if synchronized:
        raise NotImplementedError(
            "`ops.moments` does not support synchronized=True. Received: "
            "synchronized=True"
        )
    x = to_tensor(x)
    dtype = x.dtype
    if not x.dtype.is_floating_point or x.dtype == torch.float16:
        # float16's range is too small for the squared deviations.
        x = x.to(torch.float32)
    dims = tuple(axes) if isinstance(axes, (list, tuple)) else axes
    variance, mean = torch.var_mean(x, dim=dims, keepdim=keepdims, correction=0)
    if dtype == torch.float16:
        limit = torch.finfo(torch.float16).max
        mean = torch.clip(mean, -limit, limit).to(dtype)
        variance = torch.clip(variance, -limit, limit).to(dtype)
    return mean, variance


@op
def normalize(
    x: TensorLike, axis: int = -1, order: int = 2, epsilon: float | None = None
) -> torch.Tensor:
    """Scale `x` to unit norm along an axis.

    Args:
        x: Input tensor.
        axis: The axis to normalize along. Defaults to `-1`.
        order: The norm's order, an int >= 1. Defaults to `2`.
        epsilon: Lower bound on the norm; defaults to `config.epsilon()`.

    Returns:
        `x / max(norm(x), epsilon)`.

    Example:

    >>> from lamina import ops
    >>> ops.normalize([3.0, 4.0]).tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(
            "Argument `order` of `ops.normalize` must be an int >= 1. "
            f"Received: order={order!r}"
        )
    x = to_tensor(x)
    if x.ndim == 0:
        x = x[None]
    eps = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        # x * rsqrt(sum(x^2)) is one fused pass cheaper than x / norm.
        square_sum = torch.sum(torch.square(x), dim=axis, keepdim=True)
        inv_norm = torch.clamp(torch.rsqrt(square_sum), max=1.0 / eps)
        return x * inv_norm
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=eps)
