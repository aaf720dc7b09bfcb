"""`BasePooling`: max and average pooling over 1, 2 or 3 spatial axes."""

from __future__ import annotations

from typing import Any, Callable

import torch
import torch.nn.functional as F

from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import format_shape
from lamina.layers.pooling import pooling_utils as utils

_MAX: dict[int, Callable[..., Any]] = {2: F.max_pool2d, 3: F.max_pool3d}
_AVG: dict[int, Callable[..., Any]] = {2: F.avg_pool2d, 3: F.avg_pool3d}


class BasePooling(Layer):
    """Pools windows of `pool_size` taken every `strides` steps.

    The concrete layers (`MaxPooling1D/2D/3D`, `AveragePooling1D/2D/3D`)
    only fix `rank`, `pool_mode` and their defaults.

    Layout: a `channels_last` input reaches torch's kernels as a permuted
    view, which *is* a `torch.channels_last` tensor; the result comes back
    the same way, so no copy is made for the layout. 1D pooling runs on the
    2D kernels over a `(N, C, 1, steps)` view of the input.

    Padding: `"valid"` keeps only whole windows. `"same"` pads so that the
    output has `ceil(size / stride)` steps, with the padding split as Keras
    splits it (`total // 2` before, the rest after). Max pooling treats
    the padding as `-inf`; average pooling divides each window by the
    number of real (unpadded) entries in it.

    Args:
        pool_size: an int or `rank` ints, the window size.
        strides: an int, `rank` ints or None (= `pool_size`).
        rank: the number of spatial axes (1, 2 or 3).
        pool_mode: `"max"` or `"average"`.
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` or `"channels_first"`; None means
            `lamina.config.image_data_format()`.
    """

    def __init__(
        self,
        pool_size: Any,
        strides: Any,
        rank: int,
        pool_mode: Any,
        padding: Any = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.pool_size = utils.standardize_tuple(
            owner, "pool_size", pool_size, rank
        )
        self.strides = utils.standardize_tuple(
            owner, "strides", pool_size if strides is None else strides, rank
        )
        self.padding = utils.standardize_padding(owner, padding)
        self.data_format = utils.standardize_data_format(owner, data_format)
        self.pool_mode = pool_mode
        self.rank = rank
        # The kernels pool 2 or 3 axes: 1D gets a leading axis of size 1.
        lift = (1,) if rank == 1 else ()
        self._kernel = lift + self.pool_size
        self._stride = lift + self.strides
        first = 1 if self.data_format == "channels_last" else 2
        self._lift_axis = first
        self._spatial_axes = tuple(range(first, first + rank))
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape: Any) -> None:
        # Reports a symbolic input's shape with its unknown (None) sizes.
        self._check_fits(input_shape)

    def call(self, inputs: torch.Tensor) -> Any:
        self._check_fits(inputs.shape)
        x = inputs.unsqueeze(self._lift_axis) if self.rank == 1 else inputs
        x = utils.channels_first(x, self.data_format)
        y = self._pool(x, self._pads(tuple(x.shape[2:])))
        y = utils.channels_back(y, self.data_format)
        return y.squeeze(self._lift_axis) if self.rank == 1 else y

    def _check_fits(self, input_shape) -> None:
        """With `"valid"` padding every window must fit in the input."""
        if self.padding != "valid":
            return
        spatial = [input_shape[a] for a in self._spatial_axes]
        if any(
            n is not None and n < k for n, k in zip(spatial, self.pool_size)
        ):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): with "
                f"padding='valid', pool_size={self.pool_size} must not "
                "exceed the spatial dimensions of the input. Received: "
                f"input_shape={format_shape(input_shape)}"
            )

    def _pads(self, spatial):
        """`(before, after)` per kernel axis for `"same"`; None for valid."""
        if self.padding == "valid":
            return None
        pads = []
        for n, k, s in zip(spatial, self._kernel, self._stride):
            out = -(-n // s)
            total = max(0, (out - 1) * s + k - n)
            pads.append((total // 2, total - total // 2))
        return pads

    def _pool(self, x, pads):
        k, s = self._kernel, self._stride
        fn = (_MAX if self.pool_mode == "max" else _AVG)[len(k)]
        if pads is None:
            return fn(x, k, s)
        if all(before == after for before, after in pads):
            # torch pads symmetrically itself, with -inf for max pooling
            # and excluded from the average's divisor.
            padding = [before for before, _ in pads]
            if self.pool_mode == "max":
                return fn(x, k, s, padding)
            return fn(x, k, s, padding, count_include_pad=False)
        flat = [p for pair in reversed(pads) for p in pair]
        if self.pool_mode == "max":
            return fn(F.pad(x, flat, value=_lowest(x.dtype)), k, s)
        # Window sums over zero padding, divided by the count of real
        # entries in each window (the same pooling of a ones mask).
        sums = fn(F.pad(x, flat), k, s, divisor_override=1)
        ones = torch.ones(
            (1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device
        )
        counts = fn(F.pad(ones, flat), k, s, divisor_override=1)
        return sums / counts

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }

    def extra_repr(self) -> str:
        return (
            f"pool_size={self.pool_size}, strides={self.strides}, "
            f"padding={self.padding}, data_format={self.data_format}"
        )


def _lowest(dtype: torch.dtype) -> float:
    if dtype.is_floating_point:
        return float("-inf")
    return torch.iinfo(dtype).min
