"""`SeparableConv2D`: 2D depthwise separable convolution."""

from __future__ import annotations

from typing import Any

from lamina.layers.convolutional.base_separable_conv import BaseSeparableConv
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class SeparableConv2D(BaseSeparableConv):
    """2D depthwise separable convolution.

    First a depthwise convolution over height and width (each input channel
    with its own `depth_multiplier` kernels), then a pointwise (1x1)
    convolution mixing the channels into `filters` outputs; then the bias
    and the activation.

    Keras's weight shapes (`get_weights()`, weight files):
    `depthwise_kernel` `kernel_size + (channels, depth_multiplier)`,
    `pointwise_kernel` `(1, 1) + (channels * depth_multiplier, filters)`,
    `bias` `(filters,)`. Inside, both kernels are kept in torch's layout.

    Args:
        filters: the number of output channels.
        kernel_size: an int or 2 ints, the depthwise window.
        strides: an int or 2 ints, the depthwise strides.
        padding: `"valid"` (no padding) or `"same"` (output size
            `ceil(input / strides)`; an odd total pads one more after than
            before, as Keras does).
        data_format: `"channels_last"` (default: `image_data_format()`) or
            `"channels_first"`.
        dilation_rate: an int or 2 ints, for the depthwise step.
        depth_multiplier: depthwise output channels per input channel.
        activation: the activation applied to the output; None is linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, pointwise_initializer: initializers of the
            kernels (they see Keras's shapes).
        bias_initializer: initializer of the bias.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer:
            optional regularizers.
        activity_regularizer: optional regularizer on the output.
        depthwise_constraint, pointwise_constraint: optional constraints
            on the kernels, applied in Keras's layout.
        bias_constraint: optional constraint on the bias.

    Input shape:
        `channels_last`: `(batch_size, height, width, channels)`;
        `channels_first`: `(batch_size, channels, height, width)`.

    Output shape:
        `channels_last`: `(batch_size, new_height, new_width, filters)`;
        `channels_first`: `(batch_size, filters, new_height, new_width)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.SeparableConv2D(16, 3, depth_multiplier=2)
    >>> layer(torch.randn(4, 10, 10, 12)).shape
    torch.Size([4, 8, 8, 16])
    >>> [w.shape for w in layer.get_weights()]
    [(3, 3, 12, 2), (1, 1, 24, 16), (16,)]
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: Any = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
        depth_multiplier: int = 1,
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
            rank=2,
            depth_multiplier=depth_multiplier,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
