"""`DepthwiseConv2D`: 2D depthwise convolution."""

from __future__ import annotations

from typing import Any

from lamina.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution.

    Each input channel is convolved over height and width with its own
    `depth_multiplier` kernels, and the results are concatenated along the
    channel axis (output channel `c * depth_multiplier + m` comes from
    input channel `c`); channels never mix. This is the first step of a
    depthwise separable convolution.

    The kernel has Keras's shape `kernel_size + (channels,
    depth_multiplier)` in `get_weights()` and weight files; inside it is
    torch's grouped-convolution kernel `(channels * depth_multiplier, 1) +
    kernel_size`.

    Args:
        kernel_size: an int or 2 ints, the size of the window.
        strides: an int or 2 ints.
        padding: `"valid"` (no padding) or `"same"` (output size
            `ceil(input / strides)`; an odd total pads one more after than
            before, as Keras does).
        depth_multiplier: the number of output channels per input channel.
        data_format: `"channels_last"` (default: `image_data_format()`) or
            `"channels_first"`.
        dilation_rate: an int or 2 ints, for dilated convolution.
        activation: the activation applied to the output; None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer: initializer of the kernel (it sees Keras's
            shape).
        bias_initializer: initializer of the bias.
        depthwise_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer on the output.
        depthwise_constraint: optional constraint on the kernel, applied
            in Keras's layout.
        bias_constraint: optional constraint on the bias.

    Input shape:
        `channels_last`: `(batch_size, height, width, channels)`;
        `channels_first`: `(batch_size, channels, height, width)`.

    Output shape:
        `channels_last`: `(batch_size, new_height, new_width, channels *
        depth_multiplier)`;
        `channels_first`: `(batch_size, channels * depth_multiplier,
        new_height, new_width)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.DepthwiseConv2D(3, depth_multiplier=2)
    >>> layer(torch.randn(4, 10, 10, 12)).shape
    torch.Size([4, 8, 8, 24])
    >>> [w.shape for w in layer.get_weights()]
    [(3, 3, 12, 2), (24,)]
    """

    def __init__(
        self,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: Any = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
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
            rank=2,
            depth_multiplier=depth_multiplier,
            kernel_size=kernel_size,
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
