"""Normalizing activations: softmax, log-softmax and sparsemax.

`softmax` and `log_softmax` call their `lamina.ops` op (the one
implementation); `sparsemax` keeps its own, the paper's algorithm, where
Keras 3.15's `ops.sparsemax` (which `lamina.ops` matches) is wrong.
"""

from __future__ import annotations

import warnings
from typing import Union

import torch

from lamina import ops
from lamina.activations.activation_utils import convert_and_call

# Array-likes are accepted too (converted by `convert_and_call`).
Tensor = torch.Tensor
Axis = Union[int, tuple, None]


def _warn_size_one_axis(x: torch.Tensor, axis: int) -> None:
    # A UserWarning as in Keras, not a LaminaWarning (errors in tests): a
    # size-1 axis is legitimate, e.g. attention over a single key.
    warnings.warn(
        f"You are using a softmax over axis {axis} of a tensor of shape "
        f"{tuple(x.shape)}. This axis has size 1: the softmax is always 1. "
        "Did you mean to use a sigmoid instead?",
        UserWarning,
        stacklevel=3,
    )


def softmax(x: Tensor, axis: Axis = -1) -> Tensor:
    """Softmax: `exp(x) / sum(exp(x))` along `axis`.

    Args:
        x: Input tensor (the logits).
        axis: an int, a tuple of ints, or None (all axes).

    Returns:
        A tensor of probabilities summing to 1 along `axis`.

    Example:

    >>> import torch, lamina
    >>> p = lamina.activations.softmax(torch.tensor([[1.0, 2.0, 3.0]]))
    >>> round(float(p.sum()), 5)
    1.0
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(softmax, x, axis)
    if (
        isinstance(axis, int)
        and -x.ndim <= axis < x.ndim
        and x.shape[axis] == 1
    ):
        _warn_size_one_axis(x, axis)
    return ops.softmax(x, axis=axis)


def log_softmax(x: Tensor, axis: Axis = -1) -> Tensor:
    """Logarithm of the softmax along `axis`, computed stably.

    Args:
        x: Input tensor.
        axis: an int, a tuple of ints, or None (all axes).
    """
    return ops.log_softmax(x, axis=axis)


def sparsemax(x: Tensor, axis: int = -1) -> Tensor:
    """Sparsemax: the Euclidean projection of `x` onto the simplex.

    `sparsemax(x) = max(x - tau(x), 0)`, with `tau` chosen so that the
    output sums to 1 along `axis` (many outputs are exactly zero).
    Keras 3.15 computes `tau` wrongly when more than one entry is in the
    support (keras-team/keras#23425, fixed upstream in #23469); this is the
    paper's algorithm.

    Args:
        x: Input tensor.
        axis: the axis to project along.

    Reference:

    - [Martins et al., 2016](https://arxiv.org/abs/1602.02068)
    """
    if not isinstance(x, torch.Tensor):
        return convert_and_call(sparsemax, x, axis)
    z, _ = torch.sort(x, dim=axis, descending=True)
    cumsum = torch.cumsum(z, dim=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    r = torch.arange(1, x.shape[axis] + 1, device=x.device, dtype=x.dtype)
    support = (1 + r.view(shape) * z) > cumsum
    k = torch.sum(support, dim=axis, keepdim=True)
    # The support is a prefix of the sorted values: its sum is cumsum[k-1].
    top = torch.sum(
        torch.where(support, z, z.new_zeros(())), dim=axis, keepdim=True
    )
    tau = (top - 1) / k.to(x.dtype)
    return torch.clamp(x - tau, min=0)
