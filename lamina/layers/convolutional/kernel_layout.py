"""`KernelLayout`: a Keras-layout convolution kernel as torch wants it.

Keras keeps kernels spatial-axes-first (`(kh, kw, in, out)`, and
`(kh, kw, out, in)` for transposed convolutions); torch's kernels want
them last (`(out, in, kh, kw)`, `(in, out, kh, kw)`). The stored weight
always has Keras's shape and element order, since that is what users
read, assign, constrain and differentiate; each call hands torch a
permuted view of it.

Only the *memory* order of the stored weight follows torch:
`torch_memory` lays a kernel out the way torch's convolution reads it
(`(out, kh, kw, in)` in memory next to channels-last inputs, `(out, in,
kh, kw)` next to channels-first ones), so the permuted view is already
contiguous in the memory format torch asks for and no call copies it.
A Keras-ordered kernel cost ResNet50 three transposing copies per
convolution per training step (forward, backward, gradient), up to 15%
of a CPU step (`bench/resnet50.py`).
"""

from __future__ import annotations

import torch


class KernelLayout:
    """How a Keras-layout kernel is viewed in torch's layout.

    torch's tensor is Keras's, reshaped to `grouped_shape` (the depthwise
    kernel `(..., in, multiplier)` becomes `(..., 1, in * multiplier)`)
    and then with its two last axes moved to the front, reversed.

    Args:
        keras_shape: the kernel's shape in Keras's layout.
        grouped_shape: the shape before the axes move; `keras_shape`
            when omitted.

    Example:

    >>> import torch
    >>> layout = KernelLayout((3, 2, 4, 8))
    >>> layout.torch_shape
    (8, 4, 3, 2)
    >>> w = torch.randn(3, 2, 4, 8)
    >>> torch.equal(layout.to_torch(w)[5, 1], w[..., 1, 5])
    True
    >>> stored = layout.torch_memory(w, channels_last=True)
    >>> torch.equal(stored, w), stored.shape == w.shape
    (True, True)
    >>> layout.to_torch(stored).is_contiguous(
    ...     memory_format=torch.channels_last)
    True
    """

    def __init__(self, keras_shape: tuple, grouped_shape: tuple | None = None):
        self.keras_shape = tuple(keras_shape)
        self.grouped_shape = tuple(grouped_shape or keras_shape)
        self._grouped = self.grouped_shape != self.keras_shape
        rank = len(self.keras_shape) - 2
        self._to_torch = (rank + 1, rank) + tuple(range(rank))
        self.torch_shape = tuple(self.grouped_shape[i] for i in self._to_torch)

    def to_torch(self, kernel: torch.Tensor) -> torch.Tensor:
        """A Keras-layout kernel as torch's (a view; differentiable)."""
        if self._grouped:
            kernel = kernel.reshape(self.grouped_shape)
        return kernel.permute(self._to_torch)

    def torch_memory(
        self, kernel: torch.Tensor, channels_last: bool
    ) -> torch.Tensor:
        """`kernel` (Keras's shape and values) stored in the memory order
        torch's convolution reads next to inputs of that layout: the
        second axis of torch's kernel innermost for `channels_last`, the
        spatial axes innermost otherwise. A depthwise kernel has one input
        channel per group, so torch's contiguous kernel serves both
        layouts: `(in, multiplier, kh, kw)` in memory, which the merge of
        `in` and `multiplier` still views without a copy."""
        rank = len(self.keras_shape) - 2
        spatial = tuple(range(rank))
        if self._grouped:
            order = [rank, rank + 1, *spatial]
        else:
            torch_order = (
                (0, *range(2, rank + 2), 1)
                if channels_last
                else tuple(range(rank + 2))
            )
            # Keras's axes, outermost in memory first.
            order = [self._to_torch[i] for i in torch_order]
        inverse = [order.index(axis) for axis in range(rank + 2)]
        return kernel.permute(order).contiguous().permute(inverse)
