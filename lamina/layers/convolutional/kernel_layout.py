"""`KernelLayout`: a convolution kernel in Keras's layout and in torch's.

Keras keeps kernels spatial-axes-first (`(kh, kw, in, out)`); torch's
kernels want them last (`(out, in, kh, kw)`). A layer stores the torch
layout, so no call pays for a permute, and converts only at the
boundary: weight I/O, initial values, and the user's initializer,
constraint and regularizer, which were all written for Keras's shape.
"""

from __future__ import annotations

from typing import Any

import torch


class KernelLayout:
    """How one kernel maps between Keras's layout and torch's.

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
    >>> torch.equal(layout.to_keras(layout.to_torch(w)), w)
    True
    """

    def __init__(self, keras_shape: tuple, grouped_shape: tuple | None = None):
        self.keras_shape = tuple(keras_shape)
        self.grouped_shape = tuple(grouped_shape or keras_shape)
        rank = len(self.keras_shape) - 2
        self._to_torch = (rank + 1, rank) + tuple(range(rank))
        self._to_keras = tuple(range(2, rank + 2)) + (1, 0)
        self.torch_shape = tuple(self.grouped_shape[i] for i in self._to_torch)

    def to_torch(self, kernel: torch.Tensor) -> torch.Tensor:
        """A Keras-layout kernel as torch's (a view where possible)."""
        return kernel.reshape(self.grouped_shape).permute(self._to_torch)

    def to_keras(self, kernel: torch.Tensor) -> torch.Tensor:
        """A torch-layout kernel (or its gradient) as Keras's."""
        return kernel.permute(self._to_keras).reshape(self.keras_shape)

    def initializer(self, initializer: Any) -> "_TorchLayoutInitializer":
        return _TorchLayoutInitializer(initializer, self)

    def constraint(self, constraint: Any) -> "_KerasViewConstraint | None":
        return None if constraint is None else _KerasViewConstraint(
            constraint, self)

    def regularizer(self, regularizer: Any) -> "_KerasViewRegularizer | None":
        return None if regularizer is None else _KerasViewRegularizer(
            regularizer, self)


class _TorchLayoutInitializer:
    # Fans (glorot, he, ...) are read off the shape, so the value is drawn
    # in Keras's shape and only then moved into torch's layout.
    def __init__(self, initializer: Any, layout: KernelLayout):
        self.initializer = initializer
        self.layout = layout

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        value = torch.as_tensor(self.initializer(self.layout.keras_shape,
                                                 dtype=dtype))
        return self.layout.to_torch(value).contiguous()


class _KerasViewConstraint:
    # A user's constraint names Keras's axes (`MaxNorm(axis=[0, 1, 2])`):
    # it runs on the Keras view and its result goes back to torch's layout.
    def __init__(self, constraint: Any, layout: KernelLayout):
        self.constraint = constraint
        self.layout = layout

    def __call__(self, kernel: torch.Tensor) -> torch.Tensor:
        return self.layout.to_torch(
            self.constraint(self.layout.to_keras(kernel)))


class _KerasViewRegularizer:
    # Sums do not care about the layout, but a user's regularizer may.
    def __init__(self, regularizer: Any, layout: KernelLayout):
        self.regularizer = regularizer
        self.layout = layout

    def __call__(self, kernel: torch.Tensor) -> torch.Tensor:
        return self.regularizer(self.layout.to_keras(kernel))
