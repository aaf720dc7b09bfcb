"""`Permute`: reorders the non-batch axes."""

from __future__ import annotations

from typing import Any

from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
import torch


class Permute(Layer):
    """Permutes the dimensions of the input according to a given pattern.

    Useful e.g. connecting RNNs and convnets.

    Args:
        dims: tuple of integers, the permutation pattern, without the batch
            axis. Indexing starts at 1: `(1, 3, 2)` swaps the second and
            third axes of the input.

    Input shape:
        Arbitrary, of rank `len(dims) + 1`.

    Output shape:
        Same rank as the input, with the axes reordered by `dims`.

    Raises:
        ValueError: when `dims` is not a permutation of `1..len(dims)`.

    Example:

    >>> import torch, lamina
    >>> lamina.layers.Permute((2, 1))(torch.zeros(4, 10, 64)).shape
    torch.Size([4, 64, 10])
    """

    def __init__(self, dims: Any, **kwargs: Any):
        super().__init__(**kwargs)
        try:
            dims = tuple(dims)
        except TypeError:
            dims = None
        if dims is None or sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                invalid_argument(
                    "Permute",
                    "dims",
                    "a permutation of the consecutive axes 1..len(dims) "
                    "(the batch axis is excluded)",
                    dims,
                )
            )
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.permute((0,) + self.dims)

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": self.dims}

    def extra_repr(self) -> str:
        return f"dims={self.dims}"
