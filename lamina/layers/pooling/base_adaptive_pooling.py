"""`BaseAdaptivePooling`: pooling to a fixed output size, whatever the
input size."""

from __future__ import annotations

import numbers
from typing import Any, Callable

import torch.nn.functional as F

from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.layers.pooling import pooling_utils as utils
import torch

_AVG: dict[int, Callable[..., Any]] = {
    2: F.adaptive_avg_pool2d,
    3: F.adaptive_avg_pool3d,
}
_MAX: dict[int, Callable[..., Any]] = {
    2: F.adaptive_max_pool2d,
    3: F.adaptive_max_pool3d,
}


def standardize_output_size(
    owner: str, value: Any, rank: int
) -> tuple[int, ...]:
    """`value` (an int, or a tuple/list of `rank` ints) as `rank` ints.

    A value that is neither an int nor a tuple/list raises `TypeError`, as
    in Keras; a wrong length or a non-positive size raises `ValueError`.
    """
    expected = f"an integer or a tuple of {rank} positive integers"
    if isinstance(value, bool) or not isinstance(
        value, (numbers.Integral, tuple, list)
    ):
        raise TypeError(invalid_argument(owner, "output_size", expected, value))
    if isinstance(value, numbers.Integral):
        values = (int(value),) * rank
    else:
        values = tuple(value)
    if len(values) != rank or not all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 1
        for v in values
    ):
        raise ValueError(
            invalid_argument(owner, "output_size", expected, value)
        )
    return tuple(int(v) for v in values)


class BaseAdaptivePooling(Layer):
    """Pools each spatial axis down (or up) to `output_size` steps.

    Output step `i` of an axis of size `n` pooled to `m` steps covers the
    input range `[floor(i * n / m), ceil((i + 1) * n / m))`, as in
    `torch.nn.AdaptiveAvgPool2d` (and Keras's torch backend). Windows may
    differ in size and overlap when `m` does not divide `n`.

    The concrete layers (`AdaptiveMaxPooling1D/2D/3D`,
    `AdaptiveAveragePooling1D/2D/3D`) only fix `rank` and `pool_mode`.

    Layout: a `channels_last` input reaches torch's kernels as a permuted
    view (a `torch.channels_last` tensor), not a copy; 1D pooling runs on
    the 2D kernels over a `(N, C, 1, steps)` view of the input.

    Args:
        output_size: an int or `rank` ints, the output's spatial size.
        rank: the number of spatial axes (1, 2 or 3).
        pool_mode: `"max"` or `"average"`.
        data_format: `"channels_last"` or `"channels_first"`; None means
            `lamina.config.image_data_format()`.
    """

    def __init__(
        self,
        output_size: Any,
        rank: int,
        pool_mode: Any,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.output_size = standardize_output_size(owner, output_size, rank)
        self.data_format = utils.standardize_data_format(owner, data_format)
        self.pool_mode = pool_mode
        self.rank = rank
        self._lift_axis = 1 if self.data_format == "channels_last" else 2
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs: torch.Tensor) -> Any:
        x = inputs.unsqueeze(self._lift_axis) if self.rank == 1 else inputs
        x = utils.channels_first(x, self.data_format)
        size = ((1,) if self.rank == 1 else ()) + self.output_size
        fn = (_MAX if self.pool_mode == "max" else _AVG)[len(size)]
        y = utils.channels_back(fn(x, size), self.data_format)
        return y.squeeze(self._lift_axis) if self.rank == 1 else y

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_size": self.output_size,
            "data_format": self.data_format,
        }

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}, data_format={self.data_format}"
