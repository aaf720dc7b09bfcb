"""`BaseConv`: the N-D convolution behind `Conv1D`, `Conv2D`, `Conv3D`."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.convolutional.conv_core import ConvCore
from lamina.layers.convolutional.conv_utils import check_strides_dilation
from lamina.layers.convolutional.conv_utils import positive_int
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike

CONV_FUNCTIONS = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


class BaseConv(ConvCore):
    """Cross-correlates a kernel with the input over `rank` spatial axes.

    Computes `activation(conv(inputs, kernel) + bias)`. The kernel has
    Keras's shape `kernel_size + (input_channels // groups, filters)`;
    torch's convolution gets a `(filters, input_channels // groups) +
    kernel_size` view of it in each call.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: an int or `rank` ints, the window size.
        strides: an int or `rank` ints. `strides > 1` cannot be combined
            with `dilation_rate > 1`.
        padding: `"valid"` (none), `"same"` (output size
            `ceil(input / strides)`; an odd total pads one more after
            than before, as Keras does) or, for `rank == 1`, `"causal"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: an int or `rank` ints.
        groups: splits the channels into this many groups, each convolved
            with `filters // groups` filters. Divides the input channels
            and `filters`.
        activation: applied to the output; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (given Keras's
            kernel shape, so fan-in and fan-out are Keras's).
        kernel_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer on the output.
        kernel_constraint, bias_constraint: optional constraints, applied
            to the kernel in Keras's layout.
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: Any = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        groups: int = 1,
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
            allow_causal=rank == 1,
            **kwargs,
        )
        owner = type(self).__name__
        self.filters = positive_int(filters, "filters", owner)
        self.groups = positive_int(groups, "groups", owner)
        if self.filters % self.groups:
            raise ValueError(
                f"{owner}: `filters` must be divisible by `groups`. "
                f"Received: filters={filters}, groups={groups}"
            )
        check_strides_dilation(self.strides, self.dilation_rate, owner)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self._conv = CONV_FUNCTIONS[self._torch_rank]

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): the input "
                f"channels ({channels}) must be divisible by `groups`. "
                f"Received: groups={self.groups}, input_shape="
                f"{tuple(input_shape)}"
            )
        self._check_input_size(input_shape)
        self.kernel = self._add_kernel(
            "kernel",
            self.kernel_size + (channels // self.groups, self.filters),
            self.kernel_initializer,
            self.kernel_regularizer,
            self.kernel_constraint,
        )
        self._add_bias(self.filters)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x, padding = self._pad(inputs)
        y = self._convolve(
            inputs,
            self._conv,
            self._channels_first(x),
            self._torch_kernel("kernel"),
            self.bias,
            self._torch_strides,
            padding,
            self._torch_dilation,
            self.groups,
        )
        return self._finish(y)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "groups": self.groups,
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
