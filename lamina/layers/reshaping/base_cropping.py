"""`BaseCropping`: cropping over 1, 2 or 3 spatial axes."""

from __future__ import annotations

from typing import Any

from lamina import config
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import format_shape
from lamina.layers.reshaping.spatial_utils import spatial_axes
from lamina.layers.reshaping.spatial_utils import standardize_pairs
import torch


class BaseCropping(Layer):
    """Removes `(before, after)` entries from each spatial axis.

    The concrete layers (`Cropping1D/2D/3D`) only fix `rank` and their
    defaults.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        cropping: an int, `rank` ints or `rank` `(before, after)` pairs
            (for `rank == 1`: an int or one pair).
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(
        self,
        rank: int,
        cropping: Any,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = config.standardize_data_format(data_format)
        self._pairs = standardize_pairs(
            cropping, rank, "cropping", type(self).__name__
        )
        # Keras keeps the 1D cropping as one pair, 2D/3D as pairs per axis.
        self.cropping = self._pairs[0] if rank == 1 else self._pairs
        self._axes = spatial_axes(rank, self.data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape: Any) -> None:
        # Symbolic inputs are checked here, before the shape trace runs.
        self._check_sizes(input_shape)

    def call(self, inputs: Any) -> torch.Tensor:
        shape = tuple(inputs.shape)
        self._check_sizes(shape)
        index = [slice(None)] * inputs.ndim
        for axis, (before, after) in zip(self._axes, self._pairs):
            index[axis] = slice(before, shape[axis] - after)
        return inputs[tuple(index)]

    def _check_sizes(self, shape) -> None:
        """Cropping must leave at least one entry on every known axis (a
        rule `InputSpec` cannot state)."""
        for axis, pair in zip(self._axes, self._pairs):
            if shape[axis] is not None and sum(pair) >= shape[axis]:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}): values "
                    "in `cropping` must be smaller than the corresponding "
                    "spatial dimension of the input. Received: "
                    f"cropping={self.cropping}, input shape "
                    f"{format_shape(shape)}"
                )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "cropping": self.cropping,
            "data_format": self.data_format,
        }

    def extra_repr(self) -> str:
        return f"cropping={self.cropping}, data_format={self.data_format}"
