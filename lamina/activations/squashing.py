"""Squashing and shrinking activations: the sigmoid and tanh families,
the shrink functions, `threshold` and `glu`. Each calls its `lamina.ops`
op, the one implementation (as Keras's activations call `keras.ops`)."""

from __future__ import annotations

import torch

from lamina import ops

# Array-likes are accepted too (converted by `convert_and_call`).
Tensor = torch.Tensor


def sigmoid(x: Tensor) -> Tensor:
    """Sigmoid: `1 / (1 + exp(-x))`.

    Args:
        x: Input tensor.
    """
    return ops.sigmoid(x)


def hard_sigmoid(x: Tensor) -> Tensor:
    """Hard sigmoid: `0` for `x <= -3`, `1` for `x >= 3`, `x / 6 + 0.5`
    between.

    Args:
        x: Input tensor.
    """
    return ops.hard_sigmoid(x)


def sparse_sigmoid(x: Tensor) -> Tensor:
    """Sparse sigmoid: `0` for `x <= -1`, `(x + 1) / 2` between, `1` for
    `x >= 1`.

    Args:
        x: Input tensor.

    Reference:

    - [Blondel et al., 2019](https://arxiv.org/abs/1901.02324)
    """
    return ops.sparse_sigmoid(x)


def log_sigmoid(x: Tensor) -> Tensor:
    """Log of the sigmoid: `-softplus(-x)`, computed stably.

    Args:
        x: Input tensor.
    """
    return ops.log_sigmoid(x)


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent.

    Args:
        x: Input tensor.
    """
    return ops.tanh(x)


def hard_tanh(x: Tensor) -> Tensor:
    """Hard tanh: `x` clipped to `[-1, 1]`.

    Args:
        x: Input tensor.
    """
    return ops.hard_tanh(x)


def tanh_shrink(x: Tensor) -> Tensor:
    """Tanh shrink: `x - tanh(x)`.

    Args:
        x: Input tensor.
    """
    return ops.tanh_shrink(x)


def soft_shrink(x: Tensor, threshold: float = 0.5) -> Tensor:
    """Soft shrink: `x - threshold` above `threshold`, `x + threshold`
    below `-threshold`, `0` between.

    Args:
        x: Input tensor.
        threshold: the half width of the zero band.
    """
    return ops.soft_shrink(x, threshold=threshold)


def hard_shrink(x: Tensor, threshold: float = 0.5) -> Tensor:
    """Hard shrink: `x` where `|x| > threshold`, else `0`.

    Args:
        x: Input tensor.
        threshold: the half width of the zero band.
    """
    return ops.hard_shrink(x, threshold=threshold)


def threshold(x: Tensor, threshold: float, default_value: float) -> Tensor:
    """Threshold: `x` where `x > threshold`, else `default_value`.

    Args:
        x: Input tensor.
        threshold: the value to compare against.
        default_value: the value given where `x <= threshold`.
    """
    return ops.threshold(x, threshold, default_value)


def glu(x: Tensor, axis: int = -1) -> Tensor:
    """Gated linear unit: `a * sigmoid(b)`, where `x` is split in two
    equal halves `a` and `b` along `axis`.

    Args:
        x: Input tensor.
        axis: the axis to split (its size must be even).

    Reference:

    - [Dauphin et al., 2017](https://arxiv.org/abs/1612.08083)
    """
    if isinstance(x, torch.Tensor) and x.shape[axis] % 2:
        raise ValueError(
            "glu splits `x` in two halves along `axis`, so that dimension "
            f"must be even. Received: x.shape={tuple(x.shape)}, axis={axis}"
        )
    return ops.glu(x, axis=axis)
