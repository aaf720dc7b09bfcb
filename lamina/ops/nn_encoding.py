"""Encodings of integer ids: `one_hot` and `multi_hot`."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import config
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _one_hot(
    x: torch.Tensor, num_classes: int, axis: int, dtype
) -> torch.Tensor:
    if axis != -1 and not 0 <= axis <= x.ndim:
        raise ValueError(
            f"`axis` must be -1 or in [0, {x.ndim}] for an input of rank "
            f"{x.ndim}. Received: axis={axis}"
        )
    x = x.to(torch.int64)
    # F.one_hot rejects negative ids; they encode as all zeros instead.
    out = F.one_hot(torch.clamp(x, min=0), num_classes)
    out = out * (x >= 0).unsqueeze(-1)
    out = out.to(to_torch_dtype(dtype))
    return out if axis == -1 else torch.movedim(out, -1, axis)


@op
def one_hot(
    x: TensorLike,
    num_classes: int,
    axis: int = -1,
    dtype: object = None,
    sparse: bool = False,
) -> torch.Tensor:
    """One-hot encode integer class ids.

    Negative ids encode as all zeros.

    Args:
        x: Integer tensor of class ids.
        num_classes: Number of classes (size of the new axis).
        axis: Position of the new axis. Defaults to `-1` (last).
        dtype: Output dtype; defaults to `floatx()`.
        sparse: Must be `False`: lamina tensors are dense.

    Returns:
        The one-hot tensor, with one more axis than `x`.

    Example:

    >>> from lamina import ops
    >>> ops.one_hot([0, 2], 3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    if sparse:
        raise ValueError(
            "`ops.one_hot` does not support `sparse=True`: lamina tensors "
            "are dense. Received: sparse=True"
        )
    return _one_hot(
        to_tensor(x),
        num_classes,
        axis,
        config.floatx() if dtype is None else dtype,
    )


@op
def multi_hot(
    inputs: TensorLike,
    num_classes: int | None = None,
    axis: int = -1,
    dtype: object = None,
    sparse: bool = False,
    **kwargs: Any,
) -> torch.Tensor:
    """Multi-hot encode each sample's set of integer ids.

    Args:
        inputs: Integer ids: `(ids,)` for one sample, `(batch, ids)` for a
            batch.
        num_classes: Number of classes (alias: `num_tokens`).
        axis: Position of the class axis. Defaults to `-1`.
        dtype: Output dtype; defaults to `floatx()`.
        sparse: Must be `False`: lamina tensors are dense.

    Returns:
        `(num_classes,)` or `(batch, num_classes)` indicators.

    Example:

    >>> from lamina import ops
    >>> ops.multi_hot([[0, 2], [1, 1]], num_classes=3).tolist()
    [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError(
            "Argument `num_classes` of `ops.multi_hot` must be specified. "
            "Received: num_classes=None"
        )
    if sparse:
        raise ValueError(
            "`ops.multi_hot` does not support `sparse=True`: lamina "
            "tensors are dense. Received: sparse=True"
        )
    x = to_tensor(inputs)
    encoded = _one_hot(
        x, num_classes, axis, config.floatx() if dtype is None else dtype
    )
    return torch.amax(encoded, dim=1 if x.ndim > 1 else 0)
