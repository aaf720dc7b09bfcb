"""`KernelLayout`: a Keras-layout convolution kernel as torch wants it.

Keras keeps kernels spatial-axes-first (`(kh, kw, in, out)`, and
`(kh, kw, out, in)` for transposed convolutions); torch's kernels want
them last (`(out, in, kh, kw)`, `(in, out, kh, kw)`). The stored weight
is always Keras's, since that is what users read, assign, constrain and
differentiate; each call hands torch a permuted view of it (measured in
`bench/train_cnn.py`: no cost against a kernel stored in torch's layout).
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
    """

    def __init__(self, keras_shape: tuple, grouped_shape: tuple | None = None):
        self.keras_shape = tuple(keras_shape)
        self.grouped_shape = tuple(grouped_shape or keras_shape)
        rank = len(self.keras_shape) - 2
        self._to_torch = (rank + 1, rank) + tuple(range(rank))
        self.torch_shape = tuple(self.grouped_shape[i] for i in self._to_torch)

    def to_torch(self, kernel: torch.Tensor) -> torch.Tensor:
        """A Keras-layout kernel as torch's (a view; differentiable)."""
        return kernel.reshape(self.grouped_shape).permute(self._to_torch)
