"""Squashing and shrinking activations: the sigmoid and tanh families,
the shrink functions, `threshold` and `glu`."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina.activations.activation_utils import convert_and_call

# Array-likes are accepted too (converted by `convert_and_call`).
Tensor = torch.Tensor


def sigmoid(x: Tensor) -> Tensor:
    """Sigmoid: `1 / (1 + exp(-x))`.

    Args:
        x: Input tensor.
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(sigmoid, x)
    return torch.sigmoid(x)


def hard_sigmoid(x: Tensor) -> Tensor:
    """Hard sigmoid: `0` for `x <= -3`, `1` for `x >= 3`, `x / 6 + 0.5`
    between.

    Args:
        x: Input tensor.
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(hard_sigmoid, x)
    return F.hardsigmoid(x)


def sparse_sigmoid(x: Tensor) -> Tensor:
    """Sparse sigmoid: `0` for `x <= -1`, `(x + 1) / 2` between, `1` for
    `x >= 1`.

    Args:
        x: Input tensor.

    Reference:

    - [Blondel et al., 2019](https://arxiv.org/abs/1901.02324)
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(sparse_sigmoid, x)
    return 0.5 * (torch.clamp(x, -1, 1) + 1)


def log_sigmoid(x: Tensor) -> Tensor:
    """Log of the sigmoid: `-softplus(-x)`, computed stably.

    Args:
        x: Input tensor.
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(log_sigmoid, x)
    return F.logsigmoid(x)


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent.

    Args:
        x: Input tensor.
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(tanh, x)
    return torch.tanh(x)


def hard_tanh(x: Tensor) -> Tensor:
    """Hard tanh: `x` clipped to `[-1, 1]`.

    Args:
        x: Input tensor.
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(hard_tanh, x)
    return F.hardtanh(x, -1.0, 1.0)


def tanh_shrink(x: Tensor) -> Tensor:
    """Tanh shrink: `x - tanh(x)`.

    Args:
        x: Input tensor.
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(tanh_shrink, x)
    return F.tanhshrink(x)


def soft_shrink(x: Tensor, threshold: float = 0.5) -> Tensor:
    """Soft shrink: `x - threshold` above `threshold`, `x + threshold`
    below `-threshold`, `0` between.

    Args:
        x: Input tensor.
        threshold: the half width of the zero band.
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(soft_shrink, x, threshold)
    return F.softshrink(x, threshold)


def hard_shrink(x: Tensor, threshold: float = 0.5) -> Tensor:
    """Hard shrink: `x` where `|x| > threshold`, else `0`.

    Args:
        x: Input tensor.
        threshold: the half width of the zero band.
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(hard_shrink, x, threshold)
    return F.hardshrink(x, threshold)


def threshold(x: Tensor, threshold: float, default_value: float) -> Tensor:
    """Threshold: `x` where `x > threshold`, else `default_value`.

    Args:
        x: Input tensor.
        threshold: the value to compare against.
        default_value: the value given where `x <= threshold`.
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(threshold, x, threshold, default_value)
    return F.threshold(x, threshold, default_value)


def glu(x: Tensor, axis: int = -1) -> Tensor:
    """Gated linear unit: `a * sigmoid(b)`, where `x` is split in two
    equal halves `a` and `b` along `axis`.

    Args:
        x: Input tensor.
        axis: the axis to split (its size must be even).

    Reference:

    - [Dauphin et al., 2017](https://arxiv.org/abs/1612.08083)
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(glu, x, axis)
    if x.shape[axis] % 2:
        raise ValueError(
            "glu splits `x` in two halves along `axis`, so that dimension "
            f"must be even. Received: x.shape={tuple(x.shape)}, axis={axis}"
        )
    return F.glu(x, dim=axis)
