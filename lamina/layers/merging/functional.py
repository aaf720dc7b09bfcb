"""The lowercase merge shortcuts: `add([x1, x2])` is `Add()([x1, x2])`.

Each builds a fresh layer (with any base layer arguments, such as
`name`) and calls it once, so they work on tensors and on symbolic
tensors alike.
"""

from __future__ import annotations

from typing import Any

from lamina.layers.merging.add import Add
from lamina.layers.merging.average import Average
from lamina.layers.merging.concatenate import Concatenate
from lamina.layers.merging.dot import Dot
from lamina.layers.merging.maximum import Maximum
from lamina.layers.merging.minimum import Minimum
from lamina.layers.merging.multiply import Multiply
from lamina.layers.merging.subtract import Subtract
import torch


def add(inputs: torch.Tensor, **kwargs: Any) -> Any:
    """The elementwise sum of `inputs` (see `Add`).

    Args:
        inputs: a list of tensors of the same (broadcastable) shape.
        **kwargs: base layer arguments.

    Returns:
        A tensor, the sum of the inputs.

    Example:

    >>> import torch, lamina
    >>> lamina.layers.add([torch.ones(1, 2), torch.ones(1, 2)])
    tensor([[2., 2.]])
    """
    return Add(**kwargs)(inputs)


def subtract(inputs: Any, **kwargs: Any) -> Any:
    """`inputs[0] - inputs[1]` (see `Subtract`).

    Args:
        inputs: a list of exactly two tensors.
        **kwargs: base layer arguments.

    Returns:
        A tensor, the difference of the inputs.
    """
    return Subtract(**kwargs)(inputs)


def multiply(inputs: torch.Tensor, **kwargs: Any) -> Any:
    """The elementwise product of `inputs` (see `Multiply`).

    Args:
        inputs: a list of tensors of the same (broadcastable) shape.
        **kwargs: base layer arguments.

    Returns:
        A tensor, the product of the inputs.
    """
    return Multiply(**kwargs)(inputs)


def average(inputs: torch.Tensor, **kwargs: Any) -> Any:
    """The elementwise mean of `inputs` (see `Average`).

    Args:
        inputs: a list of tensors of the same (broadcastable) shape.
        **kwargs: base layer arguments.

    Returns:
        A tensor, the mean of the inputs.
    """
    return Average(**kwargs)(inputs)


def maximum(inputs: torch.Tensor, **kwargs: Any) -> Any:
    """The elementwise maximum of `inputs` (see `Maximum`).

    Args:
        inputs: a list of tensors of the same (broadcastable) shape.
        **kwargs: base layer arguments.

    Returns:
        A tensor, the maximum of the inputs.
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs: torch.Tensor, **kwargs: Any) -> Any:
    """The elementwise minimum of `inputs` (see `Minimum`).

    Args:
        inputs: a list of tensors of the same (broadcastable) shape.
        **kwargs: base layer arguments.

    Returns:
        A tensor, the minimum of the inputs.
    """
    return Minimum(**kwargs)(inputs)


def concatenate(inputs: torch.Tensor, axis: Any = -1, **kwargs: Any) -> Any:
    """The concatenation of `inputs` along `axis` (see `Concatenate`).

    Args:
        inputs: a list of tensors with equal shapes except on `axis`.
        axis: the concatenation axis.
        **kwargs: base layer arguments.

    Returns:
        A tensor, the concatenation of the inputs.

    Example:

    >>> import torch, lamina
    >>> lamina.layers.concatenate([torch.ones(1, 2), torch.zeros(1, 1)])
    tensor([[1., 1., 0.]])
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs: torch.Tensor, axes: int = -1, **kwargs: Any) -> Any:
    """The batchwise dot product of two inputs (see `Dot`).

    Args:
        inputs: a list of two tensors.
        axes: an integer or a pair of integers, the axes to reduce.
        normalize: (keyword) whether to L2-normalize first.
        **kwargs: base layer arguments.

    Returns:
        A tensor, the dot product of the samples of the inputs.
    """
    return Dot(axes=axes, **kwargs)(inputs)
