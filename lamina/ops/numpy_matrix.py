"""Matrix statistics outside `linalg`: `slogdet`, `logdet`, `cdist`,
`corrcoef`."""

from __future__ import annotations

import torch

from lamina import config
from lamina.ops._convert import same_device, to_tensor
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _check_square(name: str, x: torch.Tensor) -> None:
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"Invalid value for argument `x` of ops.{name}: expected square "
            f"matrices (..., M, M). Received: x.shape={tuple(x.shape)}"
        )


@op
def slogdet(x: TensorLike) -> tuple:
    """Sign and log of the absolute determinant of square matrices.

    Args:
        x: Square matrices `(..., M, M)`.

    Returns:
        A tuple `(sign, logabsdet)`, with `det = sign * exp(logabsdet)`.

    Example:

    >>> from lamina import ops
    >>> sign, logabsdet = ops.slogdet([[2.0, 0.0], [0.0, -3.0]])
    >>> (sign.item(), round(logabsdet.item(), 4))
    (-1.0, 1.7918)
    """
    x = to_tensor(x)
    _check_square("slogdet", x)
    return tuple(torch.linalg.slogdet(x))


@op
def logdet(x: TensorLike) -> torch.Tensor:
    """Log of the determinant of square matrices (NaN for negative ones).

    Args:
        x: Square matrices `(..., M, M)`.

    Returns:
        `log(det(x))`.

    Example:

    >>> from lamina import ops
    >>> round(ops.logdet([[2.0, 0.0], [0.0, 3.0]]).item(), 4)
    1.7918
    """
    x = to_tensor(x)
    _check_square("logdet", x)
    return torch.logdet(x)


@op
def cdist(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Euclidean distances between the rows of `x` and of `y`.

    Args:
        x: Points `(..., N, D)`.
        y: Points `(..., M, D)`; leading axes broadcast with `x`'s.

    Returns:
        Distances `(..., N, M)`.

    Example:

    >>> from lamina import ops
    >>> ops.cdist([[0.0, 0.0]], [[3.0, 4.0], [0.0, 1.0]]).tolist()
    [[5.0, 1.0]]
    """
    x, y = same_device(x, y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(
            "Invalid value for arguments `x`/`y` of ops.cdist: expected "
            f"rank >= 2. Received: x.shape={tuple(x.shape)}, "
            f"y.shape={tuple(y.shape)}"
        )
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(
            "ops.cdist expects `x` and `y` to share their last axis. "
            f"Received: x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}"
        )
    # Explicit differences, not torch.cdist: it broadcasts batch axes
    # differently and its matmul path loses precision for close points.
    diff = x.unsqueeze(-2) - y.unsqueeze(-3)
    return torch.sqrt(torch.sum(diff * diff, dim=-1))


@op
def corrcoef(x: TensorLike) -> torch.Tensor:
    """Pearson correlation coefficients between the rows of `x`.

    Args:
        x: Variables as rows, observations as columns (1-D or 2-D).

    Returns:
        The correlation matrix.

    Example:

    >>> from lamina import ops
    >>> ops.corrcoef([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]]).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(to_torch_dtype(config.floatx()))
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.corrcoef(x)
