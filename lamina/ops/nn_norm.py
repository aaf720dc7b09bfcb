"""Normalizations as ops: `batch_normalization`, `layer_normalization`,
`rms_normalization` (`keras.ops.batch_normalization` ...).

Layer and RMS normalization compute in at least `float32` and return the
input's dtype, as Keras does. Over trailing axes they run on torch's
fused kernels (`F.layer_norm`, `F.rms_norm`); other axes use moments.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import config
from lamina.ops._convert import as_dtype
from lamina.ops._convert import canonicalize_axes
from lamina.ops._convert import canonicalize_axis
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


@op
def batch_normalization(
    x: TensorLike,
    mean: TensorLike,
    variance: TensorLike,
    axis: int,
    offset: TensorLike | None = None,
    scale: TensorLike | None = None,
    epsilon: float = 1e-3,
) -> torch.Tensor:
    """Normalize `x` with the given `mean` and `variance` along `axis`.

    `(x - mean) * rsqrt(variance + epsilon) * scale + offset`, with the
    1-D statistics laid along `axis`.

    Args:
        x: Input tensor.
        mean: 1-D mean, one value per entry of `x`'s `axis`.
        variance: 1-D variance, the same size.
        axis: The feature axis of `x`.
        offset: Optional 1-D offset (beta), added last.
        scale: Optional 1-D scale (gamma).
        epsilon: Added to the variance. Defaults to `1e-3`.

    Returns:
        The normalized tensor.

    Example:

    >>> from lamina import ops
    >>> ops.batch_normalization([[1.0, 2.0]], [1.0, 0.0], [1.0, 4.0],
    ...                         axis=-1, epsilon=0.0).tolist()
    [[0.0, 1.0]]
    """
    x = to_tensor(x)
    axis = canonicalize_axis("batch_normalization", axis, x.ndim)
    shape = [1] * x.ndim
    shape[axis] = -1

    def aligned(v):
        return to_tensor(v, device=x.device).reshape(shape)

    inv = torch.rsqrt(aligned(variance) + epsilon)
    if scale is not None:
        inv = inv * aligned(scale)
    y = (x - aligned(mean)) * inv
    return y if offset is None else y + aligned(offset)


def _compute_dtype(x: torch.Tensor) -> torch.dtype:
    return to_torch_dtype(result_type(x.dtype, "float32"))


def _trailing(axes: tuple, ndim: int) -> bool:
    return sorted(axes) == list(range(ndim - len(axes), ndim))


def _weight(v, x: torch.Tensor, axes: tuple) -> torch.Tensor | None:
    """gamma/beta/scale in `x`'s dtype, shaped to broadcast over `x`."""
    if v is None:
        return None
    v = to_tensor(v, dtype=x.dtype, device=x.device)
    if v.ndim != x.ndim and not _trailing(axes, x.ndim):
        shape = [x.shape[d] if d in axes else 1 for d in range(x.ndim)]
        v = v.reshape(shape)
    return v


@op
def layer_normalization(
    x: TensorLike,
    gamma: TensorLike | None = None,
    beta: TensorLike | None = None,
    axis: int | tuple = -1,
    epsilon: float | None = None,
    **kwargs: Any,
) -> torch.Tensor:
    """Layer normalization (Ba et al., 2016) over `axis`.

    Args:
        x: Input tensor.
        gamma: Optional scale, shaped as the normalized axes.
        beta: Optional offset, shaped as the normalized axes.
        axis: The axis or axes to normalize over. Defaults to `-1`.
        epsilon: Added to the variance; defaults to `config.epsilon()`.

    Returns:
        The normalized tensor, in `x`'s dtype.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.layer_normalization([1.0, 3.0]).tolist()]
    [-1.0, 1.0]
    """
    if kwargs.pop("rms_scaling", False):
        raise ValueError(
            "You passed `rms_scaling=True` to ops.layer_normalization, "
            "which is deprecated: it scales by the variance, not the root "
            "mean square. Use `ops.rms_normalization` instead."
        )
    x = to_tensor(x)
    dtype = x.dtype
    x = as_dtype(x, _compute_dtype(x))
    eps = config.epsilon() if epsilon is None else epsilon
    axes = canonicalize_axes("layer_normalization", axis, x.ndim)
    gamma, beta = _weight(gamma, x, axes), _weight(beta, x, axes)
    if _trailing(axes, x.ndim):
        shape = tuple(x.shape[x.ndim - len(axes) :])
        y = F.layer_norm(x, shape, gamma, beta, eps)
    else:
        variance, mean = torch.var_mean(x, dim=axes, keepdim=True, correction=0)
        y = (x - mean) * torch.rsqrt(variance + eps)
        y = y if gamma is None else y * gamma
        y = y if beta is None else y + beta
    return as_dtype(y, dtype)


@op
def rms_normalization(
    x: TensorLike,
    scale: TensorLike | None = None,
    axis: int | tuple = -1,
    epsilon: float | None = None,
) -> torch.Tensor:
    """Root-mean-square normalization (Zhang & Sennrich, 2019).

    `x * rsqrt(mean(x**2, axis) + epsilon) * scale`.

    Args:
        x: Input tensor.
        scale: Optional scale, shaped as the normalized axes.
        axis: The axis or axes to normalize over. Defaults to `-1`.
        epsilon: Added to the mean square; defaults to `config.epsilon()`.

    Returns:
        The normalized tensor, in `x`'s dtype.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.rms_normalization([3.0, 4.0]).tolist()]
    [0.8485, 1.1314]
    """
    x = to_tensor(x)
    dtype = x.dtype
    x = as_dtype(x, _compute_dtype(x))
    if x.ndim == 0:
        x = x[None]
    eps = config.epsilon() if epsilon is None else epsilon
    axes = canonicalize_axes("rms_normalization", axis, x.ndim)
    scale = _weight(scale, x, axes)
    if _trailing(axes, x.ndim):
        shape = tuple(x.shape[x.ndim - len(axes) :])
        y = F.rms_norm(x, shape, scale, eps)
    else:
        y = x * torch.rsqrt(torch.mean(x * x, dim=axes, keepdim=True) + eps)
        y = y if scale is None else y * scale
    return as_dtype(y, dtype)
