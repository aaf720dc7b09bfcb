"""`BaseDepthwiseConv`: the depthwise convolution behind
`DepthwiseConv1D` and `DepthwiseConv2D` (and the first step of the
separable ones)."""

from __future__ import annotations

from typing import Any

import torch

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.convolutional.base_conv import CONV_FUNCTIONS
from lamina.layers.convolutional.conv_core import ConvCore
from lamina.layers.convolutional.conv_utils import positive_int
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class BaseDepthwiseConv(ConvCore):
    """Convolves each input channel with its own `depth_multiplier`
    kernels; channels never mix.

    Output channel `c * depth_multiplier + m` is input channel `c`
    convolved with kernel `m`. The kernel has Keras's shape
    `kernel_size + (channels, depth_multiplier)`; torch's grouped
    convolution gets a `(channels * depth_multiplier, 1) + kernel_size`
    view of it.

    Args:
        rank: the number of spatial axes (1 or 2).
        depth_multiplier: output channels per input channel.
        kernel_size, strides, dilation_rate: an int or `rank` ints. Unlike
            `Conv*D`, strides and dilation may both exceed 1 (as in Keras).
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.
        activation: applied to the output; None is linear.
        use_bias: whether to add a bias of `channels * depth_multiplier`.
        depthwise_initializer, bias_initializer: initializers.
        depthwise_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer on the output.
        depthwise_constraint, bias_constraint: optional constraints (the
            kernel's in Keras's layout).
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: Any = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: ActivationLike = None,
        use_bias: bool = True,
        depthwise_initializer: InitializerLike = "glorot_uniform",
        bias_initializer: InitializerLike = "zeros",
        depthwise_regularizer: RegularizerLike = None,
        bias_regularizer: RegularizerLike = None,
        activity_regularizer: RegularizerLike = None,
        depthwise_constraint: ConstraintLike = None,
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
        self.depth_multiplier = positive_int(
            depth_multiplier, "depth_multiplier", type(self).__name__
        )
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self._conv = CONV_FUNCTIONS[self._torch_rank]
        self._groups: int | None = None

    def _add_depthwise_kernel(self, name: str, channels: int) -> torch.Tensor:
        """One group per input channel; Keras's `(..., channels,
        multiplier)` merges into torch's output axis channel-major."""
        self._groups = channels
        width = channels * self.depth_multiplier
        return self._add_kernel(
            name,
            self.kernel_size + (channels, self.depth_multiplier),
            self.depthwise_initializer,
            self.depthwise_regularizer,
            self.depthwise_constraint,
            grouped_shape=self.kernel_size + (1, width),
        )

    def _depthwise(
        self, inputs: torch.Tensor, kernel: str, bias: torch.Tensor | None
    ) -> torch.Tensor:
        """The depthwise step with the kernel named `kernel`, output in
        torch's channels-first order."""
        x, padding = self._pad(inputs)
        return self._convolve(
            inputs,
            self._conv,
            self._channels_first(x),
            self._torch_kernel(kernel),
            bias,
            self._torch_strides,
            padding,
            self._torch_dilation,
            self._groups,
        )

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self._check_input_size(input_shape)
        self.kernel = self._add_depthwise_kernel("kernel", channels)
        self._add_bias(channels * self.depth_multiplier)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self._finish(self._depthwise(inputs, "kernel", self.bias))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(
                self.depthwise_initializer
            ),
            "depthwise_regularizer": regularizers.serialize(
                self.depthwise_regularizer
            ),
            "depthwise_constraint": constraints.serialize(
                self.depthwise_constraint
            ),
        }

    def extra_repr(self) -> str:
        return (
            f"depth_multiplier={self.depth_multiplier}, {super().extra_repr()}"
        )
