"""`Reshape`: gives the non-batch axes a new shape."""

from __future__ import annotations

from typing import Any

import math

from lamina.engine.layer import Layer
from lamina.engine.symbolic import SymbolicTensor
from lamina.errors import format_shape
from lamina.errors import invalid_argument
from lamina.layers.reshaping.spatial_utils import is_int
import torch


class Reshape(Layer):
    """Layer that reshapes inputs into the given shape.

    The batch axis is kept; `target_shape` describes the other axes. One
    entry may be `-1`: its size is inferred from the input's size.

    Symbolic shapes come from `compute_output_shape` rather than the
    engine's trace: with unknown non-batch sizes the traced fill values
    would not divide into `target_shape`, while Keras simply reports the
    inferred axis as `None`.

    Args:
        target_shape: target shape, a tuple of integers (at most one `-1`),
            without the batch axis.

    Input shape:
        Arbitrary, although all dimensions in the input shape must be
        known/fixed.

    Output shape:
        `(batch_size, *target_shape)`.

    Raises:
        ValueError: at construction for more than one `-1` or entries below
            `-1`; when called on an input whose size does not match (or does
            not divide by) the known entries of `target_shape`.

    Example:

    >>> import torch, lamina
    >>> lamina.layers.Reshape((3, 4))(torch.zeros(2, 12)).shape
    torch.Size([2, 3, 4])
    >>> lamina.layers.Reshape((-1, 2, 2))(torch.zeros(2, 12)).shape
    torch.Size([2, 3, 2, 2])
    """

    def __init__(self, target_shape: Any, **kwargs: Any):
        super().__init__(**kwargs)
        try:
            target = tuple(target_shape)
        except TypeError:
            target = None
        if target is None or not all(is_int(d) and d >= -1 for d in target):
            raise ValueError(
                invalid_argument(
                    "Reshape",
                    "target_shape",
                    "a tuple of non-negative integers or -1",
                    target_shape,
                )
            )
        if target.count(-1) > 1:
            raise ValueError(
                invalid_argument(
                    "Reshape",
                    "target_shape",
                    "at most one unknown dimension (-1)",
                    target_shape,
                )
            )
        self.target_shape = tuple(int(d) for d in target)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        dims = self._output_dims(tuple(inputs.shape[1:]))
        return inputs.reshape((inputs.shape[0],) + dims)

    def compute_output_shape(self, input_shape: Any) -> Any:
        input_shape = tuple(input_shape)
        return (input_shape[0],) + self._output_dims(input_shape[1:])

    def compute_output_spec(self, inputs: torch.Tensor, **kwargs: Any) -> Any:
        # Overridden (with `compute_output_shape`) to keep the input dtype.
        return SymbolicTensor(
            self.compute_output_shape(inputs.shape), dtype=inputs.dtype
        )

    def _output_dims(self, dims: tuple) -> tuple:
        """`target_shape` with its `-1` resolved for non-batch input sizes
        `dims` (`None` where a size is unknown)."""
        target = self.target_shape
        if None in dims:
            return tuple(None if d == -1 else d for d in target)
        size = math.prod(dims)
        known = math.prod(d for d in target if d != -1)
        if -1 not in target and known == size:
            return target
        if -1 in target and known != 0 and size % known == 0:
            return tuple(size // known if d == -1 else d for d in target)
        raise ValueError(
            f"Layer '{self.name}' (Reshape): the total size of the tensor "
            "must be unchanged (the sizes in `target_shape` must match or "
            "divide the input size). Received: "
            f"target_shape={self.target_shape} for input shape "
            f"{format_shape(('batch',) + tuple(dims))}"
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": self.target_shape}

    def extra_repr(self) -> str:
        return f"target_shape={self.target_shape}"
