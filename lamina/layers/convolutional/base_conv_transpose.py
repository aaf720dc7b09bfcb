"""`BaseConvTranspose`: the transposed convolution behind
`Conv1DTranspose`, `Conv2DTranspose` and `Conv3DTranspose`."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.convolutional.conv_core import ConvCore
from lamina.layers.convolutional.conv_utils import check_strides_dilation
from lamina.layers.convolutional.conv_utils import conv_tuple
from lamina.layers.convolutional.conv_utils import positive_int
from lamina.layers.convolutional.conv_utils import torch_transpose_args
from lamina.layers.convolutional.conv_utils import transpose_crops
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike

TRANSPOSE_FUNCTIONS = {
    1: F.conv_transpose1d,
    2: F.conv_transpose2d,
    3: F.conv_transpose3d,
}


class BaseConvTranspose(ConvCore):
    """The transposed convolution (the gradient of a convolution with
    respect to its input), sized the way Keras sizes it.

    Output length along each axis: `padding="valid"`: `(n - 1) * strides
    + max(extent, strides)` without `output_padding`, else `(n - 1) *
    strides + extent + output_padding`; `padding="same"`: `n * strides`
    without `output_padding`, else `(n - 1) * strides + extent % 2 +
    output_padding` (`extent` is the dilated kernel size). Keras's
    windows are mapped to torch's `padding`/`output_padding` where those
    can express them, and sliced otherwise.

    The kernel has Keras's shape `kernel_size + (filters, channels)`;
    torch's kernel gets a `(channels, filters) + kernel_size` view of it.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or `rank` ints;
            `strides > 1` cannot be combined with `dilation_rate > 1`.
        padding: `"valid"` or `"same"`.
        output_padding: None, or an int or `rank` ints, each smaller than
            the stride: extra length added at the end of each axis.
        data_format: `"channels_last"` or `"channels_first"`.
        activation, use_bias: as in every convolution.
        kernel_initializer, bias_initializer: initializers.
        kernel_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer on the output.
        kernel_constraint, bias_constraint: optional constraints (the
            kernel's in Keras's layout).
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: Any = "valid",
        output_padding: Any = None,
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: ActivationLike = None,
        use_bias: bool = True,
        kernel_initializer: InitializerLike = "glorot_uniform",
        bias_initializer: InitializerLike = "zeros",
        kernel_regularizer: RegularizerLike = None,
        bias_regularizer: RegularizerLike = None,
        activity_regularizer: RegularizerLike = None,
        kernel_constraint: ConstraintLike = None,
        bias_constraint: ConstraintLike = None,
        **kwargs: Any,
    ):
        super().__init__(
            rank,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer,
            bias_constraint=bias_constraint,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        owner = type(self).__name__
        self.filters = positive_int(filters, "filters", owner)
        self.output_padding = (
            None
            if output_padding is None
            else conv_tuple(
                output_padding, rank, "output_padding", owner, allow_zero=True
            )
        )
        if self.output_padding is not None and any(
            p >= s for p, s in zip(self.output_padding, self.strides)
        ):
            raise ValueError(
                f"{owner}: each `output_padding` must be smaller than the "
                f"stride along its axis. Received: output_padding="
                f"{self.output_padding}, strides={self.strides}"
            )
        check_strides_dilation(self.strides, self.dilation_rate, owner)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self._conv = TRANSPOSE_FUNCTIONS[self._torch_rank]
        self._plan_window()

    def _plan_window(self) -> None:
        """torch's padding/output_padding, then what is left to slice off
        (fixed: it does not depend on the input). Keras's window never
        starts before torch's full output and never outruns its end by a
        stride or more, so `output_padding` covers every extension and
        the rest is a plain slice."""
        extra = self.output_padding or (None,) * self.rank
        plans = [
            torch_transpose_args(
                transpose_crops(k, s, d, self.padding, p), s, d
            )
            for k, s, d, p in zip(
                self.kernel_size, self.strides, self.dilation_rate, extra
            )
        ]
        self._torch_padding = self._torch_tuple([p[0] for p in plans], 0)
        self._torch_output_padding = self._torch_tuple([p[1] for p in plans], 0)
        self._slices = None
        if any(p[2] or p[3] for p in plans):
            lead = 3 if self._lifted else 2
            self._slices = (slice(None),) * lead + tuple(
                slice(p[2], -p[3] if p[3] else None) for p in plans
            )

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self.kernel = self._add_kernel(
            "kernel",
            self.kernel_size + (self.filters, channels),
            self.kernel_initializer,
            self.kernel_regularizer,
            self.kernel_constraint,
        )
        self._add_bias(self.filters)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        y = self._conv(
            self._channels_first(inputs),
            self._torch_kernel("kernel"),
            self.bias,
            self._torch_strides,
            self._torch_padding,
            self._torch_output_padding,
            1,
            self._torch_dilation,
        )
        if self._slices is not None:
            y = y[self._slices]
        return self._finish(y)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "output_padding": self.output_padding,
            "kernel_initializer": initializers.serialize(
                self.kernel_initializer
            ),
            "kernel_regularizer": regularizers.serialize(
                self.kernel_regularizer
            ),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
        }

    def extra_repr(self) -> str:
        return f"filters={self.filters}, {super().extra_repr()}"
