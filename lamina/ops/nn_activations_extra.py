"""The less common activation ops: `celu`, `glu`, `hard_tanh`,
`hard_shrink`, `soft_shrink`, `tanh_shrink`, `threshold`, `squareplus`,
`sparse_plus`, `sparse_sigmoid`, `sparsemax`.

Like the ones in `nn_activations`, integer and bool inputs are cast to
`floatx()` first.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina.errors import format_shape
from lamina.ops._convert import canonicalize_axis
from lamina.ops._op import op
from lamina.ops.nn_activations import _float
from lamina.typing import TensorLike


@op
def celu(x: TensorLike, alpha: float = 1.0) -> torch.Tensor:
    """Continuously differentiable ELU:
    `alpha * (exp(x / alpha) - 1)` for `x < 0`, `x` otherwise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.celu([-1.0, 1.0]).tolist()]
    [-0.6321, 1.0]
    """
    return F.celu(_float(x), alpha=alpha)


@op
def glu(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Gated linear unit: `a * sigmoid(b)`, where `a` and `b` are the two
    halves of `x` along `axis`.

    Raises:
        ValueError: if `x`'s size along `axis` is odd.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.glu([1.0, 2.0, 0.0, 0.0]).tolist()]
    [0.5, 1.0]
    """
    x = _float(x)
    dim = canonicalize_axis("glu", axis, x.ndim)
    if x.shape[dim] % 2:
        raise ValueError(
            "ops.glu: the size of `x` along `axis` must be divisible by 2. "
            f"Received: x.shape={format_shape(x.shape)} with axis={axis}"
        )
    return F.glu(x, dim=dim)


@op
def hard_tanh(x: TensorLike) -> torch.Tensor:
    """`x` clipped to `[-1, 1]`.

    Example:

    >>> from lamina import ops
    >>> ops.hard_tanh([-2.0, 0.5, 3.0]).tolist()
    [-1.0, 0.5, 1.0]
    """
    return F.hardtanh(_float(x), -1.0, 1.0)


@op
def hard_shrink(x: TensorLike, threshold: float = 0.5) -> torch.Tensor:
    """`x` where `|x| > threshold`, `0` elsewhere.

    Example:

    >>> from lamina import ops
    >>> ops.hard_shrink([-1.0, 0.25, 2.0]).tolist()
    [-1.0, 0.0, 2.0]
    """
    return F.hardshrink(_float(x), lambd=threshold)


@op
def soft_shrink(x: TensorLike, threshold: float = 0.5) -> torch.Tensor:
    """`x - threshold` above `threshold`, `x + threshold` below
    `-threshold`, `0` between.

    Example:

    >>> from lamina import ops
    >>> ops.soft_shrink([-1.0, 0.25, 2.0]).tolist()
    [-0.5, 0.0, 1.5]
    """
    return F.softshrink(_float(x), lambd=threshold)


@op
def tanh_shrink(x: TensorLike) -> torch.Tensor:
    """`x - tanh(x)`.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.tanh_shrink([1.0]).tolist()]
    [0.2384]
    """
    return F.tanhshrink(_float(x))


@op
def threshold(
    x: TensorLike, threshold: float, default_value: float
) -> torch.Tensor:
    """`x` where `x > threshold`, `default_value` elsewhere.

    Example:

    >>> from lamina import ops
    >>> ops.threshold([-1.0, 2.0], 0.0, 9.0).tolist()
    [9.0, 2.0]
    """
    return F.threshold(_float(x), threshold, default_value)


@op
def squareplus(x: TensorLike, b: float = 4) -> torch.Tensor:
    """`(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Example:

    >>> from lamina import ops
    >>> ops.squareplus([0.0]).tolist()
    [1.0]
    """
    x = _float(x)
    return (x + torch.sqrt(x * x + b)) / 2


@op
def sparse_plus(x: TensorLike) -> torch.Tensor:
    """`0` for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` above.

    Example:

    >>> from lamina import ops
    >>> ops.sparse_plus([-2.0, 0.0, 2.0]).tolist()
    [0.0, 0.25, 2.0]
    """
    x = _float(x)
    middle = 0.25 * torch.square(x + 1)
    return torch.where(
        x <= -1, torch.zeros_like(x), torch.where(x < 1, middle, x)
    )


@op
def sparse_sigmoid(x: TensorLike) -> torch.Tensor:
    """`clip((x + 1) / 2, 0, 1)`, a piecewise-linear sigmoid.

    Example:

    >>> from lamina import ops
    >>> ops.sparse_sigmoid([-2.0, 0.0, 2.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    x = _float(x)
    return torch.clamp(0.5 * (x + 1), 0.0, 1.0)


@op
def sparsemax(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Sparsemax (Martins & Astudillo, 2016) along `axis`: a sparse
    alternative to softmax; many outputs are 0.

    The threshold is computed with Keras 3's formula (the same on all its
    backends), which sums the cumulative sums over the whole support where
    the paper takes the last one: the results equal Keras's, and the
    paper's when the support has one element.

    Example:

    >>> from lamina import ops
    >>> ops.sparsemax([-1.0, 0.0, 1.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    x = _float(x)
    dim = canonicalize_axis("sparsemax", axis, x.ndim)
    ranked, _ = torch.sort(x, dim=dim, descending=True)
    cumulative = torch.cumsum(ranked, dim=dim)
    shape = [1] * x.ndim
    shape[dim] = -1
    k = torch.arange(
        1, x.shape[dim] + 1, dtype=x.dtype, device=x.device
    ).reshape(shape)
    support = ranked - (cumulative - 1) / k > 0
    size = torch.sum(support, dim=dim, keepdim=True)
    total = torch.sum(
        torch.where(support, cumulative, 0.0), dim=dim, keepdim=True
    )
    tau = (total - 1) / size
    return torch.clamp(x - tau, min=0.0)
