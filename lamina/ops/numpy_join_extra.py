"""NumPy's directional joins and splits: `hstack`, `vstack`, `dstack`,
`append`, `array_split`, `hsplit`, `vsplit`, `dsplit`.

Mixed input dtypes promote as in `concatenate`. Splits return lists of
views, as Keras on torch does.
"""

from __future__ import annotations

import torch

from lamina.ops._convert import canonicalize_axis, same_device, to_tensor
from lamina.ops._op import op
from lamina.ops.numpy_join import _check_sequence
from lamina.typing import TensorLike


@op
def hstack(xs: list | tuple) -> torch.Tensor:
    """Stack tensors horizontally (along axis 1; axis 0 for 1-D inputs).

    Args:
        xs: The tensors to join.

    Returns:
        The joined tensor.

    Example:

    >>> from lamina import ops
    >>> ops.hstack([[1, 2], [3]]).tolist()
    [1, 2, 3]
    """
    _check_sequence("hstack", xs)
    return torch.hstack(same_device(*xs))


@op
def vstack(xs: list | tuple) -> torch.Tensor:
    """Stack tensors vertically (along axis 0, 1-D inputs become rows).

    Args:
        xs: The tensors to join.

    Returns:
        The joined tensor, at least 2-D.

    Example:

    >>> from lamina import ops
    >>> ops.vstack([[1, 2], [3, 4]]).tolist()
    [[1, 2], [3, 4]]
    """
    _check_sequence("vstack", xs)
    return torch.vstack(same_device(*xs))


@op
def dstack(xs: list | tuple) -> torch.Tensor:
    """Stack tensors depth-wise (along axis 2, after making them 3-D).

    Args:
        xs: The tensors to join.

    Returns:
        The joined tensor, at least 3-D.

    Example:

    >>> from lamina import ops
    >>> ops.dstack([[1, 2], [3, 4]]).shape
    torch.Size([1, 2, 2])
    """
    _check_sequence("dstack", xs)
    return torch.dstack(same_device(*xs))


@op
def append(
    x1: TensorLike, x2: TensorLike, axis: int | None = None
) -> torch.Tensor:
    """Append `x2` to the end of `x1`.

    Args:
        x1: The first tensor.
        x2: The values to append.
        axis: The axis to join along; `None` flattens both first.

    Returns:
        The joined tensor.

    Example:

    >>> from lamina import ops
    >>> ops.append([1, 2], [[3, 4]]).tolist()
    [1, 2, 3, 4]
    """
    x1, x2 = same_device(x1, x2)
    if axis is None:
        return torch.cat((x1.reshape(-1), x2.reshape(-1)))
    return torch.cat((x1, x2), dim=axis)


def _sections(indices_or_sections):
    if isinstance(indices_or_sections, (int, torch.SymInt)):
        return indices_or_sections
    return to_tensor(indices_or_sections).tolist()


@op
def array_split(
    x: TensorLike, indices_or_sections: int | list, axis: int = 0
) -> list:
    """Split a tensor into sections that may differ in size by one.

    Args:
        x: Input tensor.
        indices_or_sections: The number of sections (an int).
        axis: The axis to split.

    Returns:
        A list of tensors.

    Example:

    >>> from lamina import ops
    >>> [t.tolist() for t in ops.array_split(ops.arange(5), 2)]
    [[0, 1, 2], [3, 4]]
    """
    if isinstance(indices_or_sections, bool) or not isinstance(
        indices_or_sections, int
    ):
        raise TypeError(
            "Invalid value for argument `indices_or_sections` of "
            "ops.array_split: expected an int (as in Keras). Received: "
            f"indices_or_sections={indices_or_sections!r}"
        )
    if indices_or_sections <= 0:
        raise ValueError(
            "Invalid value for argument `indices_or_sections` of "
            "ops.array_split: expected a positive number of sections. "
            f"Received: indices_or_sections={indices_or_sections}"
        )
    x = to_tensor(x)
    axis = canonicalize_axis("array_split", axis, x.ndim)
    sections = indices_or_sections
    return list(torch.tensor_split(x, sections, dim=axis))


def _directional_split(
    name: str, torch_fn, x, indices_or_sections, min_rank: int
) -> list:
    x = to_tensor(x)
    if x.ndim < min_rank:
        raise ValueError(
            f"ops.{name} expects a tensor of rank >= {min_rank}. Received: "
            f"x.shape={tuple(x.shape)}"
        )
    return list(torch_fn(x, _sections(indices_or_sections)))


@op
def hsplit(x: TensorLike, indices_or_sections: int | list) -> list:
    """Split a tensor horizontally (along axis 1; axis 0 for 1-D inputs).

    Args:
        x: Input tensor.
        indices_or_sections: A number of equal sections, or split indices.

    Returns:
        A list of tensors.

    Example:

    >>> from lamina import ops
    >>> [t.shape for t in ops.hsplit(ops.ones((2, 4)), 2)]
    [torch.Size([2, 2]), torch.Size([2, 2])]
    """
    return _directional_split("hsplit", torch.hsplit, x, indices_or_sections, 1)


@op
def vsplit(x: TensorLike, indices_or_sections: int | list) -> list:
    """Split a tensor vertically (along axis 0).

    Args:
        x: Input tensor of rank >= 2.
        indices_or_sections: A number of equal sections, or split indices.

    Returns:
        A list of tensors.

    Example:

    >>> from lamina import ops
    >>> [t.shape for t in ops.vsplit(ops.ones((4, 2)), [1])]
    [torch.Size([1, 2]), torch.Size([3, 2])]
    """
    return _directional_split("vsplit", torch.vsplit, x, indices_or_sections, 2)


@op
def dsplit(x: TensorLike, indices_or_sections: int | list) -> list:
    """Split a tensor depth-wise (along axis 2).

    Args:
        x: Input tensor of rank >= 3.
        indices_or_sections: A number of equal sections, or split indices.

    Returns:
        A list of tensors.

    Example:

    >>> from lamina import ops
    >>> len(ops.dsplit(ops.ones((1, 2, 4)), 2))
    2
    """
    return _directional_split("dsplit", torch.dsplit, x, indices_or_sections, 3)
