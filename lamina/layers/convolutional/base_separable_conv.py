"""`BaseSeparableConv`: the depthwise-then-pointwise convolution behind
`SeparableConv1D` and `SeparableConv2D`."""

from __future__ import annotations

from typing import Any

import torch

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv
from lamina.layers.convolutional.conv_utils import positive_int
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class BaseSeparableConv(BaseDepthwiseConv):
    """A depthwise convolution (each channel on its own, `depth_multiplier`
    kernels per channel) followed by a pointwise (1x1) convolution that
    mixes the channels into `filters` outputs.

    Keras's shapes: `depthwise_kernel` `kernel_size + (channels,
    depth_multiplier)`, `pointwise_kernel` `(1,) * rank + (channels *
    depth_multiplier, filters)`, `bias` `(filters,)`; torch's kernels get
    views of them.

    Args:
        rank: the number of spatial axes (1 or 2).
        depth_multiplier: depthwise output channels per input channel.
        filters: the number of output channels.
        kernel_size, strides, dilation_rate, padding, data_format: the
            depthwise step's window (the pointwise step has none).
        activation, use_bias: as in every convolution.
        depthwise_initializer, pointwise_initializer, bias_initializer:
            initializers.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer:
            optional regularizers.
        activity_regularizer: optional regularizer on the output.
        depthwise_constraint, pointwise_constraint, bias_constraint:
            optional constraints (kernels' in Keras's layout).
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: Any = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: ActivationLike = None,
        use_bias: bool = True,
        depthwise_initializer: InitializerLike = "glorot_uniform",
        pointwise_initializer: InitializerLike = "glorot_uniform",
        bias_initializer: InitializerLike = "zeros",
        depthwise_regularizer: RegularizerLike = None,
        pointwise_regularizer: RegularizerLike = None,
        bias_regularizer: RegularizerLike = None,
        activity_regularizer: RegularizerLike = None,
        depthwise_constraint: ConstraintLike = None,
        pointwise_constraint: ConstraintLike = None,
        bias_constraint: ConstraintLike = None,
        **kwargs: Any,
    ):
        super().__init__(
            rank,
            depth_multiplier,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self.filters = positive_int(filters, "filters", type(self).__name__)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self._check_input_size(input_shape)
        self.depthwise_kernel = self._add_depthwise_kernel(
            "depthwise_kernel", channels
        )
        self.pointwise_kernel = self._add_kernel(
            "pointwise_kernel",
            (1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            self.pointwise_initializer,
            self.pointwise_regularizer,
            self.pointwise_constraint,
        )
        self._add_bias(self.filters)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        y = self._depthwise(inputs, "depthwise_kernel", None)
        return self._finish(
            self._conv(y, self._torch_kernel("pointwise_kernel"), self.bias)
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "pointwise_initializer": initializers.serialize(
                self.pointwise_initializer
            ),
            "pointwise_regularizer": regularizers.serialize(
                self.pointwise_regularizer
            ),
            "pointwise_constraint": constraints.serialize(
                self.pointwise_constraint
            ),
        }

    def extra_repr(self) -> str:
        return f"filters={self.filters}, {super().extra_repr()}"
