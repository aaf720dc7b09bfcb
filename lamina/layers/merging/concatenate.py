"""`Concatenate`: joins a list of inputs along one axis."""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import format_value
from lamina.layers.merging.base_merge import Merge
from lamina.layers.merging.base_merge import format_shapes


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`.

    It takes as input a list of tensors, all of the same shape except for
    the concatenation axis, and returns their concatenation. Masks are
    concatenated too: an input without a mask counts as all kept, and the
    output mask is kept where any feature is kept (Keras's rule).

    Args:
        axis: the axis along which to concatenate (default `-1`).
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        A list of tensors of equal rank, with the same sizes on every axis
        but `axis`.

    Output shape:
        The common shape, with the sum of the inputs' sizes on `axis`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(20.0).reshape(2, 2, 5)
    >>> y = torch.arange(20.0, 30.0).reshape(2, 1, 5)
    >>> lamina.layers.Concatenate(axis=1)([x, y]).shape
    torch.Size([2, 3, 5])
    """

    def __init__(self, axis: Any = -1, **kwargs: Any):
        super().__init__(**kwargs)
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise ValueError(
                "Invalid value for argument `axis` of Concatenate: expected "
                f"an integer. Received: axis={axis!r}"
            )
        self.axis = axis

    def _error(self, shapes, why: str) -> ValueError:
        return ValueError(
            f"Layer '{self.name}' (Concatenate) requires inputs with "
            f"matching shapes except for the concatenation axis "
            f"(axis={self.axis}); {why}. "
            f"Received: input_shape={format_shapes(shapes)}"
        )

    def _merged_shape(self, input_shape) -> tuple:
        shapes = self._check_list(input_shape)
        ranks = {len(s) for s in shapes}
        if len(ranks) > 1:
            raise self._error(shapes, f"the inputs have ranks {sorted(ranks)}")
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise self._error(
                shapes,
                f"axis {self.axis} is out of range for inputs of rank {rank}",
            )
        axis = self.axis % rank
        out = []
        for d in range(rank):
            sizes = [s[d] for s in shapes]
            if d == axis:
                out.append(None if None in sizes else sum(sizes))
                continue
            known = set(sizes) - {None}
            if len(known) > 1:
                raise self._error(shapes, f"axis {d} has sizes {sizes}")
            out.append(known.pop() if known else None)
        return tuple(out)

    def build(self, input_shape: Any) -> None:
        self._merged_shape(input_shape)

    def _merge_function(self, inputs):
        return torch.cat(inputs, dim=self.axis)

    def compute_mask(
        self, inputs: Any, mask: torch.Tensor | None = None
    ) -> Any:
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(
                f"Layer '{self.name}' (Concatenate) expected one mask per "
                f"input ({len(inputs)}). Received: mask={format_value(mask)}"
            )
        if all(m is None for m in mask):
            return None
        full = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = torch.ones_like(x, dtype=torch.bool)
            elif m.ndim < x.ndim:
                m = m.unsqueeze(-1).expand_as(x)
            full.append(m)
        return torch.cat(full, dim=self.axis).any(dim=-1)

    def _mask_shape(self, output_shape, masks):
        if all(m is None for m in masks):
            return None
        return output_shape[:-1]

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}

    def extra_repr(self) -> str:
        return f"axis={self.axis}"
