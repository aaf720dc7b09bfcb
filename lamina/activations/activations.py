"""Rectifier-like activations: ReLU and its smooth relatives.

Each calls its `lamina.ops` op, the one implementation (as Keras's
activations call `keras.ops`); only the options Keras's activations add
(`relu`'s slope, cap and threshold) and `mish` (no op) are written here.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import ops
from lamina.activations.activation_utils import convert_and_call

# Array-likes are accepted too (converted by `convert_and_call`).
Tensor = torch.Tensor


def relu(
    x: Tensor,
    negative_slope: float = 0.0,
    max_value: float | None = None,
    threshold: float = 0.0,
) -> Tensor:
    """Rectified linear unit, with Keras's optional slope, cap and threshold.

    With the defaults, `max(x, 0)`. Otherwise values above `threshold` pass
    (capped at `max_value`); values below become
    `negative_slope * (x - threshold)`.

    Args:
        x: Input tensor.
        negative_slope: slope for values below `threshold`.
        max_value: the largest value returned (None: no cap).
        threshold: values at or below it are damped or set to zero.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:

    >>> import torch, lamina
    >>> x = torch.tensor([-10.0, -5.0, 0.0, 5.0, 10.0])
    >>> lamina.activations.relu(x).tolist()
    [0.0, 0.0, 0.0, 5.0, 10.0]
    >>> lamina.activations.relu(x, negative_slope=0.5).tolist()
    [-5.0, -2.5, 0.0, 5.0, 10.0]
    >>> lamina.activations.relu(x, max_value=5.0).tolist()
    [0.0, 0.0, 0.0, 5.0, 5.0]
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(relu, x, negative_slope, max_value, threshold)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0.0:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    clip = max_value is not None
    if threshold != 0.0:
        y = torch.where(x > threshold, x, x.new_zeros(()))
    elif max_value == 6:
        y, clip = ops.relu6(x), False
    else:
        y = F.relu(x)
    if clip:
        y = torch.clamp(y, 0, max_value)
    if negative_slope != 0.0:
        y = y - negative_slope * F.relu(threshold - x)
    return y


def leaky_relu(x: Tensor, negative_slope: float = 0.2) -> Tensor:
    """Leaky ReLU: `x` if `x >= 0`, else `negative_slope * x`.

    Args:
        x: Input tensor.
        negative_slope: slope for negative values.
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x: Tensor) -> Tensor:
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: Input tensor.
    """
    return ops.relu6(x)


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: scale of the negative section.

    Reference:

    - [Clevert et al., 2016](https://arxiv.org/abs/1511.07289)
    """
    return ops.elu(x, alpha=alpha)


def selu(x: Tensor) -> Tensor:
    """Scaled ELU: `scale * elu(x, alpha)` with the paper's constants
    (`alpha=1.67326324`, `scale=1.05070098`).

    Args:
        x: Input tensor.

    Reference:

    - [Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)
    """
    return ops.selu(x)


def celu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU:
    `x` if `x >= 0`, else `alpha * (exp(x / alpha) - 1)`.

    Args:
        x: Input tensor.
        alpha: the shape parameter.

    Reference:

    - [Barron, 2017](https://arxiv.org/abs/1704.07483)
    """
    return ops.celu(x, alpha=alpha)


def gelu(x: Tensor, approximate: bool = False) -> Tensor:
    """Gaussian error linear unit: `x * P(X <= x)` for `X ~ N(0, 1)`.

    Args:
        x: Input tensor.
        approximate: use the tanh approximation.

    Reference:

    - [Hendrycks et al., 2016](https://arxiv.org/abs/1606.08415)
    """
    return ops.gelu(x, approximate=approximate)


def silu(x: Tensor) -> Tensor:
    """SiLU (Swish): `x * sigmoid(x)`.

    Args:
        x: Input tensor.

    Reference:

    - [Ramachandran et al., 2017](https://arxiv.org/abs/1710.05941)
    """
    return ops.silu(x)


swish = silu


def hard_silu(x: Tensor) -> Tensor:
    """Hard SiLU (hard swish): `x * relu6(x + 3) / 6`.

    Args:
        x: Input tensor.

    Reference:

    - [Howard et al., 2019](https://arxiv.org/abs/1905.02244)
    """
    return ops.hard_silu(x)


hard_swish = hard_silu


def mish(x: Tensor) -> Tensor:
    """Mish: `x * tanh(softplus(x))`.

    Args:
        x: Input tensor.

    Reference:

    - [Misra, 2019](https://arxiv.org/abs/1908.08681)
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(mish, x)
    return F.mish(x)


def softplus(x: Tensor) -> Tensor:
    """Softplus: `log(exp(x) + 1)`.

    Args:
        x: Input tensor.
    """
    return ops.softplus(x)


def softsign(x: Tensor) -> Tensor:
    """Softsign: `x / (abs(x) + 1)`.

    Args:
        x: Input tensor.
    """
    return ops.softsign(x)


def squareplus(x: Tensor, b: float = 4) -> Tensor:
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`.

    Args:
        x: Input tensor.
        b: smoothness parameter.

    Reference:

    - [So, 2021](https://arxiv.org/abs/2112.11687)
    """
    return ops.squareplus(x, b=b)


def sparse_plus(x: Tensor) -> Tensor:
    """SparsePlus: `0` for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`,
    `x` for `x >= 1`.

    Args:
        x: Input tensor.
    """
    return ops.sparse_plus(x)


def exponential(x: Tensor) -> Tensor:
    """Exponential: `exp(x)`.

    Args:
        x: Input tensor.
    """
    return ops.exp(x)


def linear(x: Any) -> Any:
    """Linear (identity) activation: returns `x` unchanged.

    Args:
        x: Input tensor.

    Example:

    >>> import lamina
    >>> lamina.activations.linear(3.0)
    3.0
    """
    return x
