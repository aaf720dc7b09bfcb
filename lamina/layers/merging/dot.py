"""`Dot`: the batchwise dot product of two inputs."""

from __future__ import annotations

from typing import Any

import math

import torch

from lamina import config
from lamina.layers.merging.base_merge import Merge
from lamina.layers.merging.base_merge import format_shapes


def _l2_normalize(x: torch.Tensor, axis: int) -> torch.Tensor:
    # Keras's form: x * min(rsqrt(sum(x**2)), 1 / epsilon), so a zero
    # vector stays zero instead of becoming NaN.
    inv_norm = torch.rsqrt(x.square().sum(dim=axis, keepdim=True))
    return x * torch.clamp(inv_norm, max=1.0 / config.epsilon())


def batch_dot(x: torch.Tensor, y: torch.Tensor, axes: tuple) -> torch.Tensor:
    """Dot product of `x` and `y` over `x`'s axis `axes[0]` and `y`'s axis
    `axes[1]`, for each sample of the batch.

    The result has shape `(batch, *x_rest, *y_rest)`, or `(batch, 1)` when
    both inputs are rank 2.
    """
    x = x.movedim(axes[0], -1)
    y = y.movedim(axes[1], 1)
    batch, depth = x.shape[0], x.shape[-1]
    x_rest, y_rest = tuple(x.shape[1:-1]), tuple(y.shape[2:])
    out = torch.bmm(
        x.reshape(batch, math.prod(x_rest), depth),
        y.reshape(batch, depth, math.prod(y_rest)),
    )
    return out.reshape((batch,) + (x_rest + y_rest or (1,)))


class Dot(Merge):
    """Computes the dot product of the samples of two tensors.

    For inputs `x` of shape `(batch, 3, 5)` and `y` of shape
    `(batch, 10, 3)`, `Dot(axes=(1, 2))` sums over the size-3 axes and
    returns a tensor of shape `(batch, 5, 10)`.

    Args:
        axes: an integer, or a tuple of two integers: the axis of each
            input to reduce. The two axes must have the same size; axis
            `0` (the batch axis) cannot be used.
        normalize: whether to L2-normalize the samples along the dot
            product axes first, so that the output is the cosine
            proximity of the two samples.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        A list of two tensors of rank >= 2 with equal batch sizes.

    Output shape:
        `(batch, *x_rest, *y_rest)`: the remaining axes of `x`, then of
        `y` (without its batch axis); `(batch, 1)` for two rank-2 inputs.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(10.0).reshape(1, 5, 2)
    >>> y = torch.arange(10.0, 20.0).reshape(1, 2, 5)
    >>> lamina.layers.Dot(axes=(1, 2))([x, y])
    tensor([[[260., 360.],
             [320., 445.]]])
    """

    def __init__(self, axes: Any, normalize: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        pair = (axes, axes) if isinstance(axes, int) else axes
        if (
            not isinstance(pair, (list, tuple))
            or len(pair) != 2
            or not all(
                isinstance(a, int) and not isinstance(a, bool) for a in pair
            )
        ):
            raise ValueError(
                "Invalid value for argument `axes` of Dot: expected an "
                f"integer or a pair of integers. Received: axes={axes!r}"
            )
        self.axes = axes
        self.normalize = normalize

    def _resolve_axes(self, shapes: list) -> tuple:
        """Both axes as non-negative ints, checked against the shapes."""
        shapes = self._check_list(shapes)
        if len(shapes) != 2:
            raise ValueError(
                f"Layer '{self.name}' (Dot) should be called on a list of 2 "
                f"inputs. Received: input_shape={format_shapes(shapes)}"
            )
        pair = (self.axes,) * 2 if isinstance(self.axes, int) else self.axes
        resolved = []
        for i, (axis, shape) in enumerate(zip(pair, shapes)):
            rank = len(shape)
            if rank < 2 or not -rank <= axis < rank or axis % rank == 0:
                raise ValueError(
                    f"Layer '{self.name}' (Dot) cannot reduce axis {axis} of "
                    f"input {i} with shape {shape}: the axis must be a "
                    "non-batch axis of an input of rank >= 2. "
                    f"Received: axes={self.axes!r}, "
                    f"input_shape={format_shapes(shapes)}"
                )
            resolved.append(axis % rank)
        return tuple(resolved)

    def build(self, input_shape: Any) -> None:
        a1, a2 = self._resolve_axes(input_shape)
        shape1, shape2 = input_shape
        d1, d2 = shape1[a1], shape2[a2]
        batch1, batch2 = shape1[0], shape2[0]
        if (d1 is not None and d2 is not None and d1 != d2) or (
            batch1 is not None and batch2 is not None and batch1 != batch2
        ):
            raise ValueError(
                f"Layer '{self.name}' (Dot) received incompatible input "
                f"shapes: axis {a1} of input 0 has size {d1}, axis {a2} of "
                f"input 1 has size {d2} (batch sizes {batch1} and "
                f"{batch2}). Received: input_shape="
                f"{format_shapes(input_shape)}"
            )

    def compute_output_shape(self, input_shape: Any) -> Any:
        a1, a2 = self._resolve_axes(input_shape)
        shape1, shape2 = (list(s) for s in input_shape)
        shape1.pop(a1)
        shape2.pop(a2)
        out = shape1 + shape2[1:]
        return tuple(out if len(out) > 1 else out + [1])

    def _merge_function(self, inputs):
        x1, x2 = inputs
        axes = self._resolve_axes([tuple(x1.shape), tuple(x2.shape)])
        if self.normalize:
            x1 = _l2_normalize(x1, axes[0])
            x2 = _l2_normalize(x2, axes[1])
        return batch_dot(x1, x2, axes)

    def compute_mask(
        self, inputs: torch.Tensor, mask: torch.Tensor | None = None
    ) -> Any:
        return None

    def _mask_shape(self, output_shape, masks):
        return None

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axes": self.axes,
            "normalize": self.normalize,
        }

    def extra_repr(self) -> str:
        return f"axes={self.axes}, normalize={self.normalize}"
