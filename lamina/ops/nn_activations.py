"""Activation functions as ops (`keras.ops.relu` ... `log_softmax`).

Integer and bool inputs to the smooth activations are cast to `floatx()`
first (torch has no integer kernels for them).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina import config
from lamina.ops._convert import as_dtype
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _float(x: TensorLike) -> torch.Tensor:
    x = to_tensor(x)
    if not x.dtype.is_floating_point:
        x = x.to(to_torch_dtype(config.floatx()))
    return x


@op
def relu(x: TensorLike) -> torch.Tensor:
    """Rectified linear unit: `max(x, 0)`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.relu([-1.0, 2.0]).tolist()]
    [0.0, 2.0]
    """
    x = to_tensor(x)
    return F.relu(x)


@op
def relu6(x: TensorLike) -> torch.Tensor:
    """Rectified linear unit capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.relu6([-1.0, 7.0]).tolist()]
    [0.0, 6.0]
    """
    x = to_tensor(x)
    return F.relu6(x)


@op
def sigmoid(x: TensorLike) -> torch.Tensor:
    """Sigmoid: `1 / (1 + exp(-x))`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.sigmoid([0.0]).tolist()]
    [0.5]
    """
    x = _float(x)
    return torch.sigmoid(x)


@op
def softplus(x: TensorLike) -> torch.Tensor:
    """Softplus: `log(exp(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.softplus([0.0]).tolist()]
    [0.6931]
    """
    x = _float(x)
    return F.softplus(x)


@op
def softsign(x: TensorLike) -> torch.Tensor:
    """Softsign: `x / (abs(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.softsign([1.0]).tolist()]
    [0.5]
    """
    x = _float(x)
    return F.softsign(x)


@op
def silu(x: TensorLike) -> torch.Tensor:
    """Sigmoid linear unit (swish): `x * sigmoid(x)`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.silu([0.0, 1.0]).tolist()]
    [0.0, 0.7311]
    """
    x = _float(x)
    return F.silu(x)


@op
def swish(x: TensorLike) -> torch.Tensor:
    """Alias of `silu`: `x * sigmoid(x)`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.swish([1.0]).tolist()]
    [0.7311]
    """
    x = _float(x)
    return F.silu(x)


@op
def selu(x: TensorLike) -> torch.Tensor:
    """Scaled exponential linear unit (SELU).

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.selu([1.0]).tolist()]
    [1.0507]
    """
    x = _float(x)
    return F.selu(x)


@op
def hard_sigmoid(x: TensorLike) -> torch.Tensor:
    """Hard sigmoid: `relu6(x + 3) / 6`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.hard_sigmoid([0.0, 4.0]).tolist()]
    [0.5, 1.0]
    """
    x = _float(x)
    return F.hardsigmoid(x)


@op
def hard_silu(x: TensorLike) -> torch.Tensor:
    """Hard SiLU (hard swish): `x * relu6(x + 3) / 6`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.hard_silu([1.0]).tolist()]
    [0.6667]
    """
    x = _float(x)
    return F.hardswish(x)


@op
def hard_swish(x: TensorLike) -> torch.Tensor:
    """Alias of `hard_silu`: `x * relu6(x + 3) / 6`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.hard_swish([1.0]).tolist()]
    [0.6667]
    """
    x = _float(x)
    return F.hardswish(x)


@op
def log_sigmoid(x: TensorLike) -> torch.Tensor:
    """Logarithm of the sigmoid: `-softplus(-x)`.

    Args:
        x: Input tensor.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.log_sigmoid([0.0]).tolist()]
    [-0.6931]
    """
    x = _float(x)
    return F.logsigmoid(x)


@op
def leaky_relu(x: TensorLike, negative_slope: float = 0.2) -> torch.Tensor:
    """Leaky ReLU: `x` if `x > 0`, else `negative_slope * x`.

    Args:
        x: Input tensor.
        negative_slope: Slope for negative inputs. Defaults to `0.2`.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.leaky_relu([-1.0, 2.0]).tolist()]
    [-0.2, 2.0]
    """
    return F.leaky_relu(_float(x), negative_slope=negative_slope)


@op
def elu(x: TensorLike, alpha: float = 1.0) -> torch.Tensor:
    """Exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part. Defaults to `1.0`.

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.elu([-1.0, 2.0]).tolist()]
    [-0.6321, 2.0]
    """
    return F.elu(_float(x), alpha=alpha)


@op
def gelu(x: TensorLike, approximate: bool = True) -> torch.Tensor:
    """Gaussian error linear unit: `x * P(X <= x)` for a standard normal X.

    Args:
        x: Input tensor.
        approximate: Use the tanh approximation (the Keras default).

    Returns:
        The activation, element-wise.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.gelu([1.0]).tolist()]
    [0.8412]
    """
    x = _float(x)
    return F.gelu(x, approximate="tanh" if approximate else "none")


def _softmax_family(torch_fn, x, axis) -> torch.Tensor:
    if (
        type(axis) is int
        and type(x) is torch.Tensor
        and x.dtype in (torch.float32, torch.bfloat16, torch.float64)
    ):
        return torch_fn(x, dim=axis)  # The hot path: nothing to convert.
    x = _float(x)
    dtype = x.dtype
    if dtype == torch.float16 and x.device.type == "cpu":
        x = x.float()  # No CPU half kernel.
    if axis is None:
        out = torch_fn(x.reshape(-1), dim=-1).reshape(x.shape)
    elif isinstance(axis, (tuple, list)):
        # Normalize over several axes: move them last, flatten, undo.
        axes = [a % x.ndim for a in axis]
        kept = [a for a in range(x.ndim) if a not in axes]
        moved = x.permute(kept + axes)
        flat = moved.reshape(moved.shape[: len(kept)] + (-1,))
        out = torch_fn(flat, dim=-1).reshape(moved.shape)
        inverse = sorted(range(x.ndim), key=(kept + axes).__getitem__)
        out = out.permute(inverse)
    else:
        out = torch_fn(x, dim=axis)
    return as_dtype(out, dtype)


@op
def softmax(x: TensorLike, axis: int | tuple | None = -1) -> torch.Tensor:
    """Softmax: `exp(x) / sum(exp(x))` along the given axes.

    Args:
        x: Input tensor.
        axis: Axis (or axes) to normalize over; `None` normalizes over all
            elements. Defaults to `-1`.

    Returns:
        Probabilities that sum to 1 along `axis`.

    Example:

    >>> from lamina import ops
    >>> ops.softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    return _softmax_family(F.softmax, x, axis)


@op
def log_softmax(x: TensorLike, axis: int | tuple | None = -1) -> torch.Tensor:
    """Logarithm of the softmax, computed stably.

    Args:
        x: Input tensor.
        axis: Axis (or axes) to normalize over; `None` normalizes over all
            elements. Defaults to `-1`.

    Returns:
        Log-probabilities along `axis`.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.log_softmax([0.0, 0.0]).tolist()]
    [-0.6931, -0.6931]
    """
    return _softmax_family(F.log_softmax, x, axis)
